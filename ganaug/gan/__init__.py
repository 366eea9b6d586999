"""Generative adversarial networks for chapter 3: DCGAN and a class-conditional GAN (ACGAN)."""

from ganaug.gan.callbacks import Checkpoint, PrintEvery, SampleGrid, train_gan
from ganaug.gan.dcgan import (
    DCGAN,
    ConditionalGAN,
    check_real_images,
    discriminator_loss,
    generator_loss,
)
from ganaug.gan.models import build_discriminator, build_generator
from ganaug.gan.sampling import (
    generate,
    latent_vectors,
    load_generator,
    save_generator,
    tile_images,
    to_gan_range,
    to_uint8,
)

__all__ = [
    "DCGAN",
    "Checkpoint",
    "ConditionalGAN",
    "PrintEvery",
    "SampleGrid",
    "build_discriminator",
    "build_generator",
    "check_real_images",
    "discriminator_loss",
    "generate",
    "generator_loss",
    "latent_vectors",
    "load_generator",
    "save_generator",
    "tile_images",
    "to_gan_range",
    "to_uint8",
    "train_gan",
]
