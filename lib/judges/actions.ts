"use server";
// Server actions of the judges pages. Researchers (and admins) register and configure judges and
// their templates, test them (a test calls the endpoint) and run them; anyone signed in may
// preview a template.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runAction } from "@/lib/http/action";
import { fillTemplate, promptHash } from "@/lib/verifier/template";
import { setJudgeArchived } from "./archive";
import { createJudge, setJudgeTemplate, updateJudge, ZJudgeInput, type TJudgeInput } from "./manage";
import { sampleItem } from "./sample-item";
import { createTemplateVersion, ZNewTemplateVersion } from "./templates";
import { testJudge } from "./test-judge";
import { ZRowId } from "@/lib/db/values";

const ZId = ZRowId;
const ZItemChoice = z.object({ responseId: ZId.optional(), datasetId: ZId.optional() });

export async function createJudgeAction(input: TJudgeInput) {
  return runAction(async () => {
    const researcher = await requireRole("researcher");
    const judge = await createJudge(db(), ZJudgeInput.parse(input), researcher);
    revalidatePath("/judges");
    return judge!;
  });
}

export async function updateJudgeAction(judgeId: number, input: TJudgeInput, expectedUpdatedAt?: string) {
  return runAction(async () => {
    const researcher = await requireRole("researcher");
    const expected = z.iso.datetime().optional().parse(expectedUpdatedAt);
    const judge = await updateJudge(db(), ZId.parse(judgeId), ZJudgeInput.parse(input), researcher, expected);
    revalidatePath("/judges");
    revalidatePath(`/judges/${judgeId}`);
    return judge!;
  });
}

/** Archives a judge (out of pickers, views and use) or restores it; its judgments stay either way. */
export async function setJudgeArchivedAction(input: { judgeId: number; archived: boolean }) {
  return runAction(async () => {
    const parsed = z.object({ judgeId: ZId, archived: z.boolean() }).parse(input);
    const researcher = await requireRole("researcher");
    const judge = await setJudgeArchived(db(), parsed.judgeId, parsed.archived, researcher.id);
    revalidatePath("/judges");
    revalidatePath(`/judges/${parsed.judgeId}`);
    return { id: judge.id, archived: judge.archivedAt !== null };
  });
}

const ZTemplateEdit = ZNewTemplateVersion.extend({ judgeId: ZId });

/** Saves an edited template as a new version and points the judge at it. */
export async function saveTemplateVersionAction(input: z.input<typeof ZTemplateEdit>) {
  return runAction(async () => {
    const parsed = ZTemplateEdit.parse(input);
    const researcher = await requireRole("researcher");
    const { judgeId, ...version } = parsed;
    const created = await createTemplateVersion(db(), version, researcher.id);
    await setJudgeTemplate(db(), judgeId, created.version, researcher.id);
    revalidatePath(`/judges/${judgeId}`);
    return created;
  });
}

export async function setJudgeTemplateAction(judgeId: number, version: string) {
  return runAction(async () => {
    const researcher = await requireRole("researcher");
    const result = await setJudgeTemplate(db(), ZId.parse(judgeId), z.string().min(1).max(100).parse(version), researcher.id);
    revalidatePath(`/judges/${judgeId}`);
    return result;
  });
}

const ZPreview = ZItemChoice.extend({ seed: z.number().int().min(0).optional(), body: z.string().max(20_000), systemMessage: z.string().max(4_000).nullable(), finalStepOnly: z.boolean() });

/** The template filled with a real item, exactly as it would be sent. */
export async function previewTemplateAction(input: z.input<typeof ZPreview>) {
  return runAction(async () => {
    const parsed = ZPreview.parse(input);
    await requireRole("viewer");
    const item = await sampleItem(db(), parsed);
    const filled = fillTemplate(parsed.body, item, { finalStepOnly: parsed.finalStepOnly });
    const messages = parsed.systemMessage ? [{ role: "system", content: parsed.systemMessage }, { role: "user", content: filled }] : [{ role: "user", content: filled }];
    return { item, messages, hash: promptHash(messages) };
  });
}

export async function testJudgeAction(input: { judgeId: number } & z.input<typeof ZItemChoice>) {
  return runAction(async () => {
    const parsed = ZItemChoice.extend({ judgeId: ZId }).parse(input);
    await requireRole("researcher");
    return testJudge(db(), parsed.judgeId, parsed);
  });
}
