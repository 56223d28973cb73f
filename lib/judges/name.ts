// How the studio names a judge everywhere: its name, with its size label when it has one
// ("Qwen2.5-72B-Instruct (72B)"). Pure, so client components use it too.
export const judgeName = (j: { name: string; sizeLabel: string }) => (j.sizeLabel ? `${j.name} (${j.sizeLabel})` : j.name);
