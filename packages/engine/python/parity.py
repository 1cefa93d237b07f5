"""Gradient parity: loss and gradients of our GPT-2 on a fixed batch, computed by PyTorch in float64.

Usage: parity.py MODEL_DIR BATCH_JSON [ADAPTER_DIR]
BATCH_JSON: {"tokens": [[...]], "targets": [[...]]} (target -1 = no loss). Prints JSON
{"loss": x, "grads": {name: [flat values]}} -- base weights' grads, or the adapter's when one is given.
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
    json.dump({"loss": loss.item(), "grads": grads}, sys.stdout)


if __name__ == "__main__":
    main()
