"""TRL: a reward function for GRPOTrainer that asks RLVR Studio.

    trainer = GRPOTrainer(model=..., reward_funcs=[studio_reward], train_dataset=dataset, ...)

The dataset needs a "reference" column (TRL passes every column to reward functions by name).
Prompts and completions may be plain text or conversations (lists of {"role", "content"}).
"""
import os

from studio_reward_client import studio_rewards


def _text(value):
    if isinstance(value, str):
        return value
    return value[-1]["content"] if value else ""


def _question(prompt):
    if isinstance(prompt, str):
        return prompt
    users = [m["content"] for m in prompt if m.get("role") == "user"]
    return users[-1] if users else ""


def studio_reward(prompts, completions, reference, **kwargs):
    answer = studio_rewards(
        queries=[_text(c) for c in completions],
        prompts=["" for _ in completions],
        labels=[str(r) for r in reference],
        questions=[_question(p) for p in prompts],
        judge=os.environ.get("STUDIO_JUDGE"),
    )
    return answer["rewards"]
