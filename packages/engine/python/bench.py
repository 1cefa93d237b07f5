"""PyTorch CPU baseline for `pnpm bench:engine`: trains and evaluates the reference GPT-2 (4 layers,
d=128, 4 heads, context 128, byte vocab 260, batch 8) and prints {"train": tokens/s, "eval": tokens/s}.
Run with /usr/bin/python3 and OPENBLAS_NUM_THREADS=1 (torch.set_num_threads(1) is set here too).
"""
import argparse
import json
import time

import torch

import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gpt2_torch import GPT2  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--eval-batches", type=int, default=20)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--embd", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ctx", type=int, default=128)
    p.add_argument("--batch", type=int, default=8)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cfg = {"vocab_size": 260, "n_positions": a.ctx, "n_embd": a.embd, "n_layer": a.layers, "n_head": a.heads}
    model = GPT2(cfg)
    for name, param in model.named_parameters():
        if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
            torch.nn.init.ones_(param)
        elif param.dim() == 2:
            torch.nn.init.normal_(param, std=0.02)
        else:
            torch.nn.init.zeros_(param)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01)
    data = torch.randint(0, 256, (a.steps + a.warmup + a.eval_batches, a.batch, a.ctx + 1))
    tokens = a.batch * a.ctx
    t0 = None
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            t0 = time.perf_counter()
        x = data[step]
        loss = model.loss(x[:, :-1], x[:, 1:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    train_tps = tokens * a.steps / (time.perf_counter() - t0)
    with torch.no_grad():
        for i in range(2):
            model.loss(data[i][:, :-1], data[i][:, 1:])
        t0 = time.perf_counter()
        for i in range(a.eval_batches):
            x = data[a.steps + a.warmup + i]
            model.loss(x[:, :-1], x[:, 1:]).item()
        eval_tps = tokens * a.eval_batches / (time.perf_counter() - t0)
    json.dump({"train": train_tps, "eval": eval_tps, "torch": torch.__version__}, sys.stdout)


if __name__ == "__main__":
    main()
