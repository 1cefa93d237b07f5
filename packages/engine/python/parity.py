"""Gradient parity: loss and gradients of our GPT-2 on a fixed batch, computed by PyTorch in float64.

Usage: parity.py MODEL_DIR BATCH_JSON [ADAPTER_DIR]
BATCH_JSON: {"tokens": [[...]], "targets": [[...]]} (target -1 = no loss), optionally with
"adamw": {"steps": n, "lrs": [...], "weight_decay": w, "clip": c} to also run n AdamW updates on that batch.
Prints JSON {"loss": x, "grads": {name: [flat values]}, "weights": {name: [...]}} -- base weights' grads, or
the adapter's when one is given; "weights" (after the AdamW steps) only when requested.
Run with /usr/bin/python3 and OPENBLAS_NUM_THREADS=1.
"""
import json
import sys

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gpt2_torch import attach_lora, load_model  # noqa: E402


def main():
    torch.set_num_threads(1)
    model_dir, batch_path = sys.argv[1], sys.argv[2]
    model, _ = load_model(model_dir, torch.float64)
    with open(batch_path) as f:
        batch = json.load(f)
    tokens = torch.tensor(batch["tokens"], dtype=torch.long)
    targets = torch.tensor(batch["targets"], dtype=torch.long)
    if len(sys.argv) > 3:
        for p in model.parameters():
            p.requires_grad_(False)
        params = attach_lora(model, sys.argv[3], torch.float64)
    else:
        params = dict(model.named_parameters())
    loss = model.loss(tokens, targets)
    loss.backward()
    grads = {name: p.grad.reshape(-1).tolist() for name, p in params.items()}
    out = {"loss": loss.item(), "grads": grads}
    if "adamw" in batch:
        cfg = batch["adamw"]
        # Decay on matrices and embeddings only, as the engine does (not on biases and norms).
        decay = [p for n, p in params.items() if p.dim() == 2]
        rest = [p for n, p in params.items() if p.dim() != 2]
        opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": cfg["weight_decay"]}, {"params": rest, "weight_decay": 0.0}],
            lr=cfg["lrs"][0],
        )
        for step in range(cfg["steps"]):
            for group in opt.param_groups:
                group["lr"] = cfg["lrs"][step]
            opt.zero_grad()
            model.loss(tokens, targets).backward()
            torch.nn.utils.clip_grad_norm_(list(params.values()), cfg["clip"])
            opt.step()
        out["weights"] = {name: p.detach().reshape(-1).tolist() for name, p in params.items()}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
