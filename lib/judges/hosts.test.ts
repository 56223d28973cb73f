import { afterEach, describe, expect, it } from "vitest";
import { assertJudgeHost, hostAllowed, judgeHostPatterns } from "./hosts";

describe("STUDIO_JUDGE_HOSTS", () => {
  afterEach(() => {
    delete process.env.STUDIO_JUDGE_HOSTS;
  });

  it("unset or empty allows every host", () => {
    expect(judgeHostPatterns(undefined)).toBeNull();
    expect(judgeHostPatterns(" , ")).toBeNull();
    expect(() => assertJudgeHost("http://169.254.169.254/v1", "j")).not.toThrow();
  });

  it("matches names and addresses as written, ports when given, and subdomains of *.domain", () => {
    const patterns = judgeHostPatterns("GPU-1, 10.0.0.7:8000, *.infer.example, [::1]")!;
    expect(patterns).toEqual(["gpu-1", "10.0.0.7:8000", "*.infer.example", "[::1]"]);
    const allowed = (url: string) => hostAllowed(url, patterns);
    expect(allowed("http://gpu-1:8000/v1")).toBe(true);
    expect(allowed("https://GPU-1/v1")).toBe(true);
    expect(allowed("http://gpu-10:8000/v1")).toBe(false);
    expect(allowed("http://10.0.0.7:8000/v1")).toBe(true);
    expect(allowed("http://10.0.0.7:8001/v1")).toBe(false);
    expect(allowed("http://10.0.0.7/v1")).toBe(false); // port 80
    expect(allowed("http://a.infer.example/v1")).toBe(true);
    expect(allowed("http://a.b.infer.example:9/v1")).toBe(true);
    expect(allowed("http://infer.example/v1")).toBe(false);
    expect(allowed("http://evilinfer.example/v1")).toBe(false);
    expect(allowed("http://[::1]:8000/v1")).toBe(true);
    expect(allowed("http://169.254.169.254/latest")).toBe(false);
    expect(allowed("not a url")).toBe(false);
  });

  it("refuses a host outside them, naming the allowed ones", () => {
    process.env.STUDIO_JUDGE_HOSTS = "gpu-1";
    expect(() => assertJudgeHost("http://169.254.169.254/v1", "72B")).toThrow("72B: judges may call gpu-1 only (STUDIO_JUDGE_HOSTS, set by whoever runs the studio), not 169.254.169.254");
    expect(() => assertJudgeHost("http://gpu-1:8000/v1", "72B")).not.toThrow();
  });
});
