// A small dataset for the review and labels integration tests: `n` responses (one per question),
// two judges whose verdicts and P(YES) follow simple rules of the response index, and users.
//   judge "72B": YES on even indexes;  p_yes = i / (n - 1)
//   judge "7B":  YES on indexes divisible by 3
import type { PrismaClient } from "@/lib/db/generated/client";
import { importItems } from "@/lib/io/import-items";
import { createUser } from "@/lib/users/create";

export async function reviewFixture(prisma: PrismaClient, n = 12) {
  const dataset = await prisma.dataset.create({ data: { name: "review" } });
  await importItems(
    prisma,
    dataset.id,
    Array.from({ length: n }, (_, i) => ({ line: i + 1, question: `question ${i}`, reference: `reference ${i}`, response: `answer ${i}` })),
  );
  const responses = await prisma.response.findMany({ where: { datasetId: dataset.id }, orderBy: { id: "asc" }, select: { id: true } });
  const ids = responses.map((r) => r.id);
  const big = await prisma.judge.create({ data: { name: "72B", kind: "external", sizeLabel: "72B" } });
  const small = await prisma.judge.create({ data: { name: "7B", kind: "external", sizeLabel: "7B" } });
  for (const judge of [big, small]) await prisma.judgeRun.create({ data: { judgeId: judge.id, datasetId: dataset.id, source: "import", status: "completed" } });
  await prisma.judgment.createMany({
    data: ids.flatMap((responseId, i) => [
      { responseId, judgeId: big.id, verdict: i % 2 === 0 ? ("YES" as const) : ("NO" as const), pYes: i / (n - 1), softReward: i / (n - 1) },
      { responseId, judgeId: small.id, verdict: i % 3 === 0 ? ("YES" as const) : ("NO" as const), pYes: 0.5, softReward: 0.5 },
    ]),
  });
  const user = (name: string, role: "expert" | "researcher" | "viewer") =>
    createUser(prisma, { name, email: `${name.toLowerCase().replace(/\s/g, "")}@example.com`, password: `a-long-password-${name}`, role });
  const [e1, e2, e3, researcher, viewer] = await Promise.all([
    user("Ada", "expert"),
    user("Bob", "expert"),
    user("Cy", "expert"),
    user("Res", "researcher"),
    user("Vi", "viewer"),
  ]);
  return { datasetId: dataset.id, ids, big, small, e1, e2, e3, researcher, viewer };
}
