// Judges and templates against a real database: stored keys are encrypted and never read by
// accident, templates are immutable versions with the paper's text byte for byte.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { PAPER_TEMPLATE } from "@/lib/verifier/template";
import { createJudge, setJudgeTemplate, updateJudge } from "./manage";
import { ruleTemplateVersion } from "./settings";
import { loadRunnableJudge } from "./runnable";
import { hasStoredApiKey, resolveApiKey } from "./secrets";
import { createTemplateVersion, ensureBuiltinTemplates, getTemplate } from "./templates";

const prisma = testDb();
beforeEach(() => resetDb());
afterAll(() => prisma.$disconnect());

const endpoint = { baseUrl: "http://gpu-1:8000/v1/", model: "Qwen/Qwen2.5-72B-Instruct" };

describe("stored API keys", () => {
  it("are stored encrypted, left out of every query unless asked for, and decrypted only to call", async () => {
    const judge = await createJudge(prisma, { kind: "openai_compatible", name: "72B", settings: endpoint, apiKey: { action: "set", value: "sk-secret-42" } }, null);
    const [raw] = await prisma.$queryRaw<{ api_key_encrypted: string; settings: unknown }[]>`SELECT api_key_encrypted, settings FROM judges`;
    expect(raw!.api_key_encrypted).toMatch(/^v1\./);
    expect(raw!.api_key_encrypted).not.toContain("sk-secret-42");
    expect(JSON.stringify(raw!.settings)).not.toContain("sk-secret-42");

    // The client omits the column from plain reads.
    const read = await prisma.judge.findUnique({ where: { id: judge!.id } });
    expect(read).not.toHaveProperty("apiKeyEncrypted");
    const list = await prisma.judge.findMany({ include: { runs: true } });
    expect(list[0]).not.toHaveProperty("apiKeyEncrypted");
    const audit = await prisma.auditEvent.findMany();
    expect(JSON.stringify(audit)).not.toContain("sk-secret-42");

    expect(await resolveApiKey(prisma, { id: judge!.id })).toBe("sk-secret-42");
    expect(await hasStoredApiKey(prisma, [judge!.id])).toEqual(new Set([judge!.id]));
  });

  it("keep, replace and clear", async () => {
    const judge = await createJudge(prisma, { kind: "openai_compatible", name: "72B", settings: endpoint, apiKey: { action: "set", value: "one" } }, null);
    const update = (apiKey: { action: "keep" } | { action: "set"; value: string } | { action: "clear" }) =>
      updateJudge(prisma, judge!.id, { kind: "openai_compatible", name: "72B", settings: endpoint, apiKey }, null);
    await update({ action: "keep" });
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBe("one");
    await update({ action: "set", value: "two" });
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBe("two");
    await update({ action: "clear" });
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBeNull();
  });

  it("a named environment variable is read where the judge runs, never stored", async () => {
    const judge = await createJudge(prisma, { kind: "openai_compatible", name: "OpenAI", settings: { ...endpoint, apiKeyEnv: "TEST_JUDGE_API_KEY" } }, null);
    process.env.TEST_JUDGE_API_KEY = "from-env";
    expect(await resolveApiKey(prisma, { id: judge!.id, apiKeyEnv: "TEST_JUDGE_API_KEY" })).toBe("from-env");
    delete process.env.TEST_JUDGE_API_KEY;
    await expect(resolveApiKey(prisma, { id: judge!.id, apiKeyEnv: "TEST_JUDGE_API_KEY" })).rejects.toThrow("TEST_JUDGE_API_KEY");
  });

  it("credentials are refused in extra headers and in the base URL (both are shown to every viewer)", async () => {
    for (const headers of [{ Authorization: "Bearer sk" }, { "X-Goog-Api-Key": "k" }, { "X-Auth-Token": "t" }] as Record<string, string>[]) {
      await expect(createJudge(prisma, { kind: "openai_compatible", name: "x", settings: { ...endpoint, headers } }, null)).rejects.toThrow("credentials go in the API key");
    }
    await expect(createJudge(prisma, { kind: "openai_compatible", name: "x", settings: { ...endpoint, baseUrl: "https://me:sk-1@api.example.com/v1" } }, null)).rejects.toThrow(
      "must not hold a user name or password",
    );
    await expect(createJudge(prisma, { kind: "openai_compatible", name: "x", settings: { ...endpoint, baseUrl: "https://api.example.com/v1?api-key=sk-1" } }, null)).rejects.toThrow("no query string");
    // an ordinary header is kept
    // Nor may they send the request (and the key) to another site than the base URL's, or break it.
    for (const name of ["Host", "host", "Content-Length", "Transfer-Encoding", "Connection", "X-Forwarded-Host"]) {
      await expect(createJudge(prisma, { kind: "openai_compatible", name: "x", settings: { ...endpoint, headers: { [name]: "other-vhost" } } }, null)).rejects.toThrow("come from the base URL");
    }
    await createJudge(prisma, { kind: "openai_compatible", name: "x", settings: { ...endpoint, headers: { "X-Request-Source": "studio" } } }, null);
  });

  it("a save made from settings someone changed meanwhile is refused, not put over theirs", async () => {
    const created = await createJudge(prisma, { kind: "openai_compatible", name: "shared", settings: endpoint }, null);
    const opened = (await prisma.judge.findUniqueOrThrow({ where: { id: created.id } })).updatedAt.toISOString();
    // Both opened the page; the first saves a higher concurrency.
    await updateJudge(prisma, created.id, { kind: "openai_compatible", name: "shared", settings: { ...endpoint, concurrency: 4 } }, null, opened);
    // The second, changing only the description from the page as it was, is refused.
    await expect(
      updateJudge(prisma, created.id, { kind: "openai_compatible", name: "shared", description: "mine", settings: endpoint }, null, opened),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/^This judge was changed meanwhile \(at \d\d:\d\d:\d\d UTC\): nothing was saved\./) });
    const stored = await prisma.judge.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored).toMatchObject({ description: "" });
    expect((stored.settings as { concurrency: number }).concurrency).toBe(4);
    // From the settings as they are now, it goes through.
    await updateJudge(prisma, created.id, { kind: "openai_compatible", name: "shared", description: "mine", settings: { ...endpoint, concurrency: 4 } }, null, stored.updatedAt.toISOString());
    expect(await prisma.judge.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ description: "mine" });
  });

  it("extra body fields may not replace the prompt, the model or the sampling the judge's settings set", async () => {
    for (const extraBody of [{ messages: [{ role: "user", content: "What is 2+2?" }] }, { prompt: "x" }, { model: "other" }, { max_tokens: 4096 }, { top_logprobs: 0, stream: true }]) {
      await expect(createJudge(prisma, { kind: "openai_compatible", name: "x", settings: { ...endpoint, extraBody } }, null)).rejects.toThrow(
        `${Object.keys(extraBody).join(", ")}: set by the judge's own settings`,
      );
    }
    const judge = await createJudge(prisma, { kind: "openai_compatible", name: "y", settings: { ...endpoint, extraBody: { chat_template_kwargs: { enable_thinking: false } } } }, null);
    expect(judge.id).toBeGreaterThan(0);
  });
});

// A judge's key goes to the host its base URL names: a researcher who could pick both the host and
// the key's variable (or re-point a judge whose key is stored) could have any secret sent to them.
describe("where a key may be sent", () => {
  const researcher = { id: "user-researcher", role: "researcher" } as const;
  const admin = { id: "user-admin", role: "admin" } as const;
  beforeEach(async () => {
    for (const { id, role } of [researcher, admin]) await prisma.user.create({ data: { id, role, name: role, email: `${role}@example.org` } });
  });
  const judgeWith = (settings: object, apiKey: { action: "keep" } | { action: "set"; value: string } | { action: "clear" } = { action: "keep" }) => ({
    kind: "openai_compatible" as const,
    name: "72B",
    settings: { ...endpoint, ...settings },
    apiKey,
  });

  it("never the studio's own secrets, whoever asks, and not from judges saved before this rule either", async () => {
    for (const apiKeyEnv of ["AUTH_SECRET", "DATABASE_URL", "STUDIO_EMBEDDED", "PGPASSWORD", "better_auth_secret", "ADMIN_PASSWORD", "WORKER_CHUNKS"]) {
      await expect(createJudge(prisma, judgeWith({ apiKeyEnv }), null)).rejects.toThrow("one of the studio's own settings");
    }
    // Saved before the rule: a run of it fails with what to change, and the key is never read.
    const judge = await createJudge(prisma, judgeWith({}), null);
    await prisma.$executeRaw`UPDATE judges SET settings = settings || '{"apiKeyEnv": "AUTH_SECRET"}'::jsonb WHERE id = ${judge!.id}`;
    await expect(loadRunnableJudge(prisma, judge!.id)).rejects.toThrow(/72B's settings are no longer accepted \(apiKeyEnv: that variable is one of the studio's own settings.*\); edit the judge/);
    await expect(resolveApiKey(prisma, { id: judge!.id, apiKeyEnv: "AUTH_SECRET" })).rejects.toThrow("one of the studio's own settings");
  });

  it("an environment variable is named, or its judge moved to another host, by an admin only", async () => {
    await expect(createJudge(prisma, judgeWith({ apiKeyEnv: "OPENAI_API_KEY" }), researcher)).rejects.toThrow("Only an admin");
    const judge = await createJudge(prisma, judgeWith({ apiKeyEnv: "OPENAI_API_KEY" }), admin);
    // a researcher may change the rest, and the path on the same host
    await updateJudge(prisma, judge!.id, judgeWith({ apiKeyEnv: "OPENAI_API_KEY", model: "other", baseUrl: "http://gpu-1:8000/v2" }), researcher);
    await expect(updateJudge(prisma, judge!.id, judgeWith({ apiKeyEnv: "OPENAI_API_KEY", baseUrl: "https://attacker.example/v1" }), researcher)).rejects.toThrow("Only an admin");
    await expect(updateJudge(prisma, judge!.id, judgeWith({ apiKeyEnv: "GITHUB_TOKEN" }), researcher)).rejects.toThrow("Only an admin");
    await updateJudge(prisma, judge!.id, judgeWith({ apiKeyEnv: "OPENAI_API_KEY", baseUrl: "https://api.openai.com/v1" }), admin);
    // dropping the variable is anyone's
    await updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "https://api.openai.com/v1" }), researcher);
    expect((await prisma.judge.findUnique({ where: { id: judge!.id } }))!.settings).not.toHaveProperty("apiKeyEnv");
  });

  it("a stored key only to the host it was entered for: moving the judge asks for the key again", async () => {
    const judge = await createJudge(prisma, judgeWith({}, { action: "set", value: "sk-stored" }), researcher);
    await updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "http://gpu-1:8000/other/v1" }), researcher); // same host
    for (const actor of [researcher, admin]) {
      await expect(updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "https://attacker.example/v1" }), actor)).rejects.toThrow("enter its API key again");
      await expect(updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "http://gpu-1:8001/v1" }), actor)).rejects.toThrow("enter its API key again"); // another port
    }
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBe("sk-stored");
    expect((await prisma.judge.findUnique({ where: { id: judge!.id } }))!.settings).toMatchObject({ baseUrl: "http://gpu-1:8000/other/v1" });
    await updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "https://gpu-2.example/v1" }, { action: "set", value: "sk-new" }), researcher);
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBe("sk-new");
    await updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "http://gpu-3:8000/v1" }, { action: "clear" }), researcher);
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBeNull();
    await updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "http://gpu-4:8000/v1" }), researcher); // no key: nothing to send
  });

  it("a stored key does not move with a judge switched to a variable, to be sent once the variable is emptied", async () => {
    const judge = await createJudge(prisma, judgeWith({}, { action: "set", value: "sk-gpu-1" }), researcher);
    const toOpenAI = judgeWith({ apiKeyEnv: "OPENAI_API_KEY", baseUrl: "https://api.openai.com/v1" });
    await expect(updateJudge(prisma, judge!.id, toOpenAI, admin)).rejects.toThrow("enter its API key again, or remove the stored one");
    await updateJudge(prisma, judge!.id, { ...toOpenAI, apiKey: { action: "clear" } }, admin);
    await updateJudge(prisma, judge!.id, judgeWith({ baseUrl: "https://api.openai.com/v1" }), researcher); // the variable emptied
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBeNull();
  });

  it("settings saved before a rule they now break show nothing that may be a credential, to viewers or in the form", async () => {
    const { getJudge, listJudges } = await import("./queries");
    const judge = await createJudge(prisma, judgeWith({}), researcher);
    await prisma.$executeRaw`UPDATE judges SET settings = settings || '{"baseUrl": "https://me:pw@gpu-1:8000/v1?api-key=sk-9", "headers": {"X-Session-Id": "s1"}, "extraBody": null}'::jsonb WHERE id = ${judge!.id}`;
    const detail = (await getJudge(judge!.id))!;
    expect(detail.settingsProblem).toContain("baseUrl");
    expect(detail.endpointSettings).toBeNull(); // the read-only view shows none of it
    expect(detail.endpointDraft).toMatchObject({ baseUrl: "https://gpu-1:8000/v1", model: endpoint.model, headers: {}, extraBody: {}, temperature: 0 });
    const listed = (await listJudges()).find((j) => j.id === judge!.id)!;
    expect(listed.endpoint).toMatchObject({ baseUrl: "https://gpu-1:8000/v1" });
    for (const shown of [JSON.stringify(detail), JSON.stringify(listed)]) for (const secret of ["me:pw", "sk-9", "X-Session-Id"]) expect(shown).not.toContain(secret);
  });

  it("settings saved before a rule they now break are read as stored: the host they named, the variable they read", async () => {
    const judge = await createJudge(prisma, judgeWith({}, { action: "set", value: "sk-stored" }), researcher);
    await prisma.$executeRaw`UPDATE judges SET settings = settings || '{"headers": {"X-Session-Id": "s1"}}'::jsonb WHERE id = ${judge!.id}`;
    const { getJudge } = await import("./queries");
    expect((await getJudge(judge!.id))!.settingsProblem).toContain("headers: credentials go in the API key"); // the judge's page says so
    // Removing the header, same host: no question of the key.
    await updateJudge(prisma, judge!.id, judgeWith({}), researcher);
    expect(await resolveApiKey(prisma, { id: judge!.id })).toBe("sk-stored");
    expect((await getJudge(judge!.id))!.settingsProblem).toBeNull();
  });
});

describe("judges", () => {
  it("normalise the base URL and default to the paper's template", async () => {
    const judge = await createJudge(prisma, { kind: "openai_compatible", name: "72B", sizeLabel: "72B", settings: endpoint }, null);
    const row = await prisma.judge.findUnique({ where: { id: judge!.id } });
    expect(row).toMatchObject({ templateVersion: "paper-v1", sizeLabel: "72B" });
    expect(row!.settings).toMatchObject({ baseUrl: "http://gpu-1:8000/v1", temperature: 0, topLogprobs: 20, retries: 4, concurrency: 16 });
  });

  it("names are unique", async () => {
    await createJudge(prisma, { kind: "rule_based", name: "rule", settings: { rule: "jaccard" } }, null);
    await expect(createJudge(prisma, { kind: "rule_based", name: "rule", settings: { rule: "numeric" } }, null)).rejects.toThrow('A judge named "rule" already exists.');
  });

  it("a rule judge's version changes with its settings, so old judgments keep theirs", async () => {
    const judge = await createJudge(prisma, { kind: "rule_based", name: "num", settings: { rule: "numeric" } }, null);
    const v1 = (await prisma.judge.findUnique({ where: { id: judge!.id } }))!.templateVersion;
    await updateJudge(prisma, judge!.id, { kind: "rule_based", name: "num", settings: { rule: "numeric", relativeTolerance: 0.01 } }, null);
    const v2 = (await prisma.judge.findUnique({ where: { id: judge!.id } }))!.templateVersion;
    expect(v1).toMatch(/^numeric-[0-9a-f]{8}$/);
    expect(v2).not.toBe(v1);
    expect(ruleTemplateVersion({ rule: "numeric", referenceSeparator: "|", threshold: 0.5, relativeTolerance: 1e-6, absoluteTolerance: 1e-9, finalStepOnly: true })).toBe(v1);
  });
});

describe("STUDIO_JUDGE_HOSTS", () => {
  afterEach(() => {
    delete process.env.STUDIO_JUDGE_HOSTS;
  });

  it("holds judges to the hosts it names: none elsewhere is saved, moved there, or called", async () => {
    // Saved before the limit was set: it stays, but is not called.
    const before = await createJudge(prisma, { kind: "openai_compatible", name: "metadata", settings: { baseUrl: "http://169.254.169.254/v1", model: "m" } }, null);
    process.env.STUDIO_JUDGE_HOSTS = "gpu-1, *.infer.internal";
    const refused = "judges may call gpu-1, *.infer.internal only (STUDIO_JUDGE_HOSTS, set by whoever runs the studio), not";
    await expect(createJudge(prisma, { kind: "openai_compatible", name: "probe", settings: { baseUrl: "http://10.0.0.1:8080/v1", model: "m" } }, null)).rejects.toThrow(`probe: ${refused} 10.0.0.1:8080`);
    expect(await prisma.judge.count({ where: { name: "probe" } })).toBe(0);
    const ok = await createJudge(prisma, { kind: "openai_compatible", name: "72B", settings: { baseUrl: "http://a.infer.internal:8000/v1", model: "m" } }, null);
    await expect(updateJudge(prisma, ok!.id, { kind: "openai_compatible", name: "72B", settings: { baseUrl: "http://169.254.169.254/v1", model: "m" } }, null)).rejects.toThrow(`72B: ${refused} 169.254.169.254`);
    expect((await prisma.judge.findUniqueOrThrow({ where: { id: ok!.id } })).settings).toMatchObject({ baseUrl: "http://a.infer.internal:8000/v1" });
    await expect(loadRunnableJudge(prisma, before!.id)).rejects.toThrow(`metadata: ${refused} 169.254.169.254`);
    await expect(loadRunnableJudge(prisma, ok!.id)).resolves.toMatchObject({ name: "72B" });
    // Rule judges call nothing.
    await expect(createJudge(prisma, { kind: "rule_based", name: "contains", settings: { rule: "containment" } }, null)).resolves.toBeTruthy();
  });
});

describe("template versions", () => {
  it("the built-in paper template is the paper's text, byte for byte", async () => {
    await ensureBuiltinTemplates(prisma);
    await ensureBuiltinTemplates(prisma); // idempotent
    const t = await getTemplate(prisma, "paper-v1");
    expect(t.body).toBe(PAPER_TEMPLATE);
    expect(t).toMatchObject({ systemMessage: null, finalStepOnly: true });
    expect((await getTemplate(prisma, "paper-system-v1")).systemMessage).toBe("You are a helpful assistant.");
  });

  it("an edit is a new version; the judge moves to it and old judgments keep theirs", async () => {
    const judge = await createJudge(prisma, { kind: "openai_compatible", name: "72B", settings: endpoint }, null);
    const v1 = await createTemplateVersion(prisma, { name: "Strict-Math", body: "Q: {question}\nA: {response}\nRef: {reference}", systemMessage: null, finalStepOnly: false, basedOn: "paper-v1" }, null);
    const v2 = await createTemplateVersion(prisma, { name: "strict-math", body: "Q2: {question}\nA: {response}\nRef: {reference}", systemMessage: "Be strict.", finalStepOnly: true, basedOn: v1.version }, null);
    expect([v1.version, v2.version]).toEqual(["strict-math-v1", "strict-math-v2"]);
    await setJudgeTemplate(prisma, judge!.id, v2.version, null);
    expect((await prisma.judge.findUnique({ where: { id: judge!.id } }))!.templateVersion).toBe("strict-math-v2");
    expect((await getTemplate(prisma, "strict-math-v1")).body).toBe("Q: {question}\nA: {response}\nRef: {reference}");
  });

  it("a template must place the response and the reference", async () => {
    await expect(createTemplateVersion(prisma, { name: "bad", body: "Is {response} right?", systemMessage: null, finalStepOnly: true, basedOn: null }, null)).rejects.toThrow("{reference}");
  });
});
