"""A tiny training job for the tests of dynnb.train: an MLP learns the Hénon map.
Usage: python toy_train.py OUT [SLEEP_PER_STEP]   (also under `torchrun --nproc_per_node 2`)."""
import sys, time
import torch
from torch import nn
from dynnb.train import Objective, TrainConfig, train

class Henon(Objective):
    def __init__(self, sleep=0.): self.sleep = sleep
    def sample(self, n, g):
        time.sleep(self.sleep)
        x = torch.rand(n, 2, generator=g) * torch.tensor([3., 0.8]) - torch.tensor([1.5, 0.4])
        y = torch.stack([1 - 1.4 * x[:, 0] ** 2 + x[:, 1], 0.3 * x[:, 0]], 1)
        return {'x': x, 'y': y + 0.01 * torch.randn(n, 2, generator=g)}
    def loss(self, model, batch):
        mse = ((model(batch['x']) - batch['y']) ** 2).mean()
        return mse, {'mse': mse.detach()}

CFG = TrainConfig(steps=40, batch_size=16, optimizer='adamw', lr=5e-2, lr_end=0., schedule='cosine', warmup_ratio=0.1,
                  grad_clip=1., log_every=5, ckpt_every=10, keep_ckpts=10, seed=3, threads=1)

if __name__ == '__main__':
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 2))
    train(model, Henon(float(sys.argv[2]) if len(sys.argv) > 2 else 0.), CFG, sys.argv[1], progress=False)
