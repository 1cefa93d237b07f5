"""Plain-PyTorch GPT-2 (Hugging Face parameter names and Conv1D layout) plus PEFT-style LoRA.

Shared by parity.py (gradient parity with the TypeScript engine) and bench.py (speed baseline).
Needs only torch; safetensors files are read and written with the standard library.
"""
import json
import math
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    """Returns {name: float tensor} from a safetensors file (F32 only, as the engine writes)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", meta["dtype"]
        b, e = meta["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:e]), dtype=torch.float32).reshape(meta["shape"])
        out[name] = t.clone()
    return out


class Conv1D(nn.Module):
    """HF GPT-2 Conv1D: weight stored [in, out]."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))
        self.lora = None

    def forward(self, x):
        y = torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).reshape(*x.shape[:-1], -1)
        if self.lora is not None:
            a, b, scale = self.lora
            y = y + (x @ a.t()) @ b.t() * scale
        return y


class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.n_head = h
        self.c_attn = Conv1D(d, 3 * d)
        self.c_proj = Conv1D(d, d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        hd = C // self.n_head
        q = q.view(B, T, self.n_head, hd).transpose(1, 2)
        k = k.view(B, T, self.n_head, hd).transpose(1, 2)
        v = v.view(B, T, self.n_head, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.c_fc = Conv1D(d, 4 * d)
        self.c_proj = Conv1D(4 * d, d)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, d, h, eps):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.attn = Attention(d, h)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.mlp = MLP(d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT2(nn.Module):
    """GPT2Model + tied LM head; named_parameters() match HF checkpoint names."""

    def __init__(self, cfg):
        super().__init__()
        d = cfg["n_embd"]
        self.wte = nn.Embedding(cfg["vocab_size"], d)
        self.wpe = nn.Embedding(cfg["n_positions"], d)
        eps = cfg.get("layer_norm_epsilon", 1e-5)
        self.h = nn.ModuleList([Block(d, cfg["n_head"], eps) for _ in range(cfg["n_layer"])])
        self.ln_f = nn.LayerNorm(d, eps=eps)

    def forward(self, tokens):
        T = tokens.shape[1]
        x = self.wte(tokens) + self.wpe(torch.arange(T, device=tokens.device))
        for block in self.h:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.t()

    def loss(self, tokens, targets):
        """Mean cross-entropy over positions whose target is >= 0."""
        logits = self(tokens)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1)


def load_model(model_dir, dtype=torch.float32):
    with open(f"{model_dir}/config.json") as f:
        cfg = json.load(f)
    model = GPT2(cfg)
    weights = read_safetensors(f"{model_dir}/model.safetensors")
    model.load_state_dict({k: v for k, v in weights.items()}, strict=True)
    return model.to(dtype), cfg


def attach_lora(model, adapter_dir, dtype=torch.float32):
    """Attaches a PEFT adapter (trainable A, B) to the model's Conv1D layers; returns {name: param}."""
    with open(f"{adapter_dir}/adapter_config.json") as f:
        acfg = json.load(f)
    scale = acfg["lora_alpha"] / acfg["r"]
    tensors = read_safetensors(f"{adapter_dir}/adapter_model.safetensors")
    params = {}
    prefix = "base_model.model.transformer."
    for name in tensors:
        if not name.endswith("lora_A.weight"):
            continue
        module = name[len(prefix) : -len(".lora_A.weight")]
        a = nn.Parameter(tensors[name].to(dtype))
        b = nn.Parameter(tensors[f"{prefix}{module}.lora_B.weight"].to(dtype))
        model.get_submodule(module).lora = (a, b, scale)
        params[f"{module}.lora_A.weight"] = a
        params[f"{module}.lora_B.weight"] = b
    return params
