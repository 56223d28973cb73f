"""A minimal client of RLVR Studio's reward endpoint (POST /api/v1/reward), standard library only.

Environment:
  STUDIO_URL    the studio, e.g. http://studio.internal:3000
  STUDIO_TOKEN  an API token with the "reward" scope (Tokens page, admins)
  STUDIO_RUN    the training run's name: its responses are recorded in a dataset of that name
"""
import json
import os
import time
import urllib.error
import urllib.request


def studio_rewards(queries, prompts, labels, **options):
    """Sends one batch; returns the studio's answer: {"rewards", "scores", "extra_logs", "studio"}.

    options: judge, reward ("binary" | "soft"), normalize ("none" | "batch" | "group"),
    final_step (bool), run, step, model, questions (the plain questions, when the prompts are not
    chat-templated text the studio can read the question from). None values are left out.
    """
    body = {"query": list(queries), "prompts": list(prompts), "labels": list(labels)}
    body.update({k: v for k, v in options.items() if v is not None})
    if "run" not in body and os.environ.get("STUDIO_RUN"):
        body["run"] = os.environ["STUDIO_RUN"]
    data = json.dumps(body).encode("utf-8")
    url = os.environ.get("STUDIO_URL", "http://localhost:3000").rstrip("/") + "/api/v1/reward"
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["STUDIO_TOKEN"]}
    for attempt in range(30):
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=900) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            # 429: the studio is busy judging other batches; wait as it says and send again.
            if error.code == 429 and attempt < 29:
                time.sleep(float(error.headers.get("Retry-After", "1")))
                continue
            # Anything else (422 bad request, 404 unknown judge, 503 judge down) is not retried
            # here: the message names the field or the reason.
            raise RuntimeError("reward endpoint: HTTP %d: %s" % (error.code, error.read().decode("utf-8", "replace"))) from None
    raise RuntimeError("reward endpoint: still busy after 30 attempts")
