// `npm run sim:judge -- --port 8001 --latency-ms 50 --fault-rate 0.1 --seed 1`
// TEST DOUBLE: an OpenAI-compatible judge simulator in vLLM's format, for trying the studio, its
// tests and benchmarks without a GPU. Never register it as a real judge.
import { parseArgs } from "node:util";
import { FAULTS, startJudgeSimulator, type TFault } from "./judge-simulator/simulator";

const USAGE = `usage: npm run sim:judge -- [--port 8001] [--host 127.0.0.1] [--model sim-judge]
  [--latency-ms 0] [--jitter-ms 0] [--fault-rate 0] [--faults ${FAULTS.join(",")}]
  [--error-rate 0.1] [--seed 1] [--slow-ms 30000] [--retry-after 1] [--api-key KEY]`;

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8001" },
    host: { type: "string", default: "127.0.0.1" },
    model: { type: "string", default: "sim-judge" },
    "latency-ms": { type: "string", default: "0" },
    "jitter-ms": { type: "string", default: "0" },
    "fault-rate": { type: "string", default: "0" },
    faults: { type: "string", default: FAULTS.join(",") },
    "error-rate": { type: "string", default: "0.1" },
    seed: { type: "string", default: "1" },
    "slow-ms": { type: "string", default: "30000" },
    "retry-after": { type: "string", default: "1" },
    "api-key": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const number = (name: keyof typeof values, min: number, max: number) => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min || value > max) {
    console.error(`--${name} must be a number between ${min} and ${max}\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
const faults = String(values.faults).split(",").map((f) => f.trim()).filter(Boolean);
const unknown = faults.filter((f) => !(FAULTS as readonly string[]).includes(f));
if (unknown.length > 0 || faults.length === 0) {
  console.error(`unknown fault ${unknown.join(", ")}; faults are ${FAULTS.join(", ")}`);
  process.exit(2);
}

const sim = await startJudgeSimulator({
  port: number("port", 0, 65535),
  host: values.host,
  model: values.model,
  latencyMs: number("latency-ms", 0, 600_000),
  jitterMs: number("jitter-ms", 0, 600_000),
  faultRate: number("fault-rate", 0, 1),
  faults: faults as TFault[],
  errorRate: number("error-rate", 0, 1),
  seed: number("seed", -(2 ** 31), 2 ** 31),
  slowMs: number("slow-ms", 0, 3_600_000),
  retryAfterSeconds: number("retry-after", 0, 3600),
  apiKey: values["api-key"],
});
console.log(`judge simulator (a test double, not a judge) serving model "${values.model}" at ${sim.url}`);
console.log(`  latency ${values["latency-ms"]} ms, fault rate ${values["fault-rate"]} (${faults.join(", ")}), judge error rate ${values["error-rate"]}, seed ${values.seed}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
