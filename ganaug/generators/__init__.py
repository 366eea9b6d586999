"""Generators of one's own (chapter 7): the interface a generator implements to enter the
study (:mod:`ganaug.generators.interface`), the guards that keep it to a unit's training images
(:mod:`ganaug.generators.guard`), and a small variational autoencoder that implements it
(:mod:`ganaug.generators.vae`). :func:`ganaug.experiment.register_generator` adds one to the
study."""

from ganaug.generators.guard import (
    COPY_RMS,
    DataAccessError,
    nearest_rms,
    no_data_files,
    refuse_held_out_copies,
)
from ganaug.generators.interface import (
    Generator,
    check_images,
    fit_and_sample,
    interface_check,
    make_generator,
)
from ganaug.generators.vae import VAE_STEPS, VAEGenerator, build_vae

__all__ = [
    "COPY_RMS",
    "VAE_STEPS",
    "DataAccessError",
    "Generator",
    "VAEGenerator",
    "build_vae",
    "check_images",
    "fit_and_sample",
    "interface_check",
    "make_generator",
    "nearest_rms",
    "no_data_files",
    "refuse_held_out_copies",
]
