"""OpenRLHF: rewards from RLVR Studio.

    --remote_rm_url /path/to/openrlhf_reward_func.py --label_key answer

(with studio_reward_client.py next to this file, and STUDIO_URL, STUDIO_TOKEN, STUDIO_RUN set).
OpenRLHF calls reward_func with the decoded prompt + response texts, the prompts and the labels
(the references, from --label_key). A plain --remote_rm_url http://... also works, since the
endpoint speaks the same protocol, but OpenRLHF then sends no Authorization header: put the token
in the URL (http://studio:3000/api/v1/reward?token=rlvr_...&run=my-run), and keep that URL out of
shared logs.
"""
import os

from studio_reward_client import studio_rewards


def reward_func(queries, prompts, labels):
    import torch

    answer = studio_rewards(queries, prompts, labels, judge=os.environ.get("STUDIO_JUDGE"))
    return {
        "rewards": torch.tensor(answer["rewards"], dtype=torch.float),
        "scores": torch.tensor(answer["scores"], dtype=torch.float),
        "extra_logs": {k: torch.tensor(v, dtype=torch.float) for k, v in answer["extra_logs"].items()},
    }
