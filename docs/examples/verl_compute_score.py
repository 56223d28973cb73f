"""verl: rewards from RLVR Studio, one request per batch.

    reward_model.reward_manager=batch
    custom_reward_function.path=/path/to/verl_compute_score.py
    custom_reward_function.name=compute_score

verl passes the decoded responses and the ground truths; put each question in the data's
extra_info["question"] so the judge sees it. (With verl's per-sample reward manager, call
studio_rewards with one item at a time and leave normalisation off: one reward has no batch.)
"""
import os

from studio_reward_client import studio_rewards


def compute_score(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs):
    extra_infos = extra_infos or [{} for _ in solution_strs]
    answer = studio_rewards(
        queries=solution_strs,
        prompts=["" for _ in solution_strs],
        labels=[str(g) for g in ground_truths],
        questions=[str((e or {}).get("question", "")) for e in extra_infos],
        judge=os.environ.get("STUDIO_JUDGE"),
    )
    return answer["rewards"]
