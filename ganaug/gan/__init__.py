"""Generative adversarial networks for chapter 3: DCGAN and a class-conditional GAN (ACGAN or
projection discriminator), with options for small data sets: differentiable augmentation,
spectral normalisation, resize-convolution and a moving average of the generator's weights."""

from ganaug.gan.callbacks import Checkpoint, PrintEvery, SampleGrid, train_gan
from ganaug.gan.conditional import ConditionalGAN
from ganaug.gan.dcgan import DCGAN, check_real_images
from ganaug.gan.diffaugment import DEFAULT_POLICY, diff_augment
from ganaug.gan.losses import (
    discriminator_loss,
    generator_loss,
    hinge_discriminator_loss,
    hinge_generator_loss,
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
    "DEFAULT_POLICY",
    "Checkpoint",
    "ConditionalGAN",
    "PrintEvery",
    "SampleGrid",
    "build_discriminator",
    "build_generator",
    "check_real_images",
    "diff_augment",
    "discriminator_loss",
    "generate",
    "generator_loss",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "latent_vectors",
    "load_generator",
    "save_generator",
    "tile_images",
    "to_gan_range",
    "to_uint8",
    "train_gan",
]
