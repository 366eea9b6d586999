"""Checks for chapter 3's step exercise: the players' losses and one ``train_step``, written
out with ``tf.GradientTape`` and compared on fixed weights and noise with the library's
:meth:`ganaug.gan.DCGAN.step`.

The comparison uses plain gradient descent (SGD), not the book's Adam: Adam's first update is
almost ``learning_rate * sign(gradient)``, blind to the gradient's size, so it would let a step
with a wrong but same-signed gradient through. The discriminator's dropout is switched off, so
a step may call it in any order (or once on real and generated images together).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from ganaug.data import synthetic_lesions
from ganaug.gan import DCGAN, build_discriminator, build_generator, to_gan_range
from ganaug.gan.losses import discriminator_loss, generator_loss
from ganaug.teaching.exercises import fail, passed, require_answer, require_close

#: Sizes of the check's networks: small, so one step takes a fraction of a second.
LATENT, G_FILTERS, D_FILTERS, BATCH, LEARNING_RATE = 8, 8, 8, 12, 0.05

StepFunction = Callable[..., object]


def fixed_inputs(seed: int = 36) -> tuple[tf.Tensor, tf.Tensor]:
    """A batch of real images in [-1, 1] and a batch of noise, the same on every call.

    Examples
    --------
    >>> real, noise = fixed_inputs()
    >>> tuple(real.shape), tuple(noise.shape)
    ((12, 28, 28, 3), (12, 8))
    """
    images = synthetic_lesions(n_per_class=BATCH // 3, seed=seed).images[:BATCH]
    noise = np.random.default_rng(seed).normal(size=(BATCH, LATENT)).astype("float32")
    return tf.constant(to_gan_range(images)), tf.constant(noise)


def fixed_networks(seed: int = 0) -> tuple[keras.Model, keras.Model]:
    """The generator and discriminator every step starts from: same weights for one ``seed``,
    dropout off."""
    generator = build_generator(LATENT, G_FILTERS, seed=seed)
    discriminator = build_discriminator(base_filters=D_FILTERS, seed=seed)
    for layer in discriminator.layers:
        if isinstance(layer, keras.layers.Dropout):
            layer.rate = 0.0
    return generator, discriminator


def _sgd() -> keras.optimizers.Optimizer:
    return keras.optimizers.SGD(LEARNING_RATE)


def _changes(before: list[np.ndarray], model: keras.Model) -> list[np.ndarray]:
    return [after - start for after, start in zip(model.get_weights(), before, strict=True)]


def run_step(step: StepFunction) -> dict:
    """Play ``step(real, noise, generator, discriminator, g_optimizer, d_optimizer)`` once on
    the fixed networks and inputs: what it returned and how each network's weights changed
    (the batch-normalisation statistics included)."""
    real, noise = fixed_inputs()
    generator, discriminator = fixed_networks()
    g_start, d_start = generator.get_weights(), discriminator.get_weights()
    trained = {net.name: [v.numpy() for v in net.trainable_weights]
               for net in (generator, discriminator)}  # fmt: skip
    returned = step(real, noise, generator, discriminator, _sgd(), _sgd())
    moved = {
        net.name: max(float(np.max(np.abs(v.numpy() - start)))
                      for v, start in zip(net.trainable_weights, trained[net.name], strict=True))
        for net in (generator, discriminator)
    }  # fmt: skip
    return {
        "returned": returned,
        "generator": _changes(g_start, generator),
        "discriminator": _changes(d_start, discriminator),
        "moved": moved,
    }


def library_step() -> dict:
    """:func:`run_step` of the library's :meth:`ganaug.gan.DCGAN.step`, with its losses.

    Examples
    --------
    >>> reference = library_step()
    >>> sorted(reference), round(reference["returned"][0], 2) > 0
    (['discriminator', 'generator', 'moved', 'returned'], True)
    """

    def step(real, noise, generator, discriminator, g_optimizer, d_optimizer):
        gan = DCGAN(generator, discriminator, latent_dim=LATENT)
        gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer)
        logs = gan.step(real, noise)
        return float(logs["d_loss"]), float(logs["g_loss"])

    return run_step(step)


def _alternating(real, noise, generator, discriminator, g_optimizer, d_optimizer):
    """A known mistake: the generator plays against the discriminator after its update."""
    with tf.GradientTape() as tape:
        fake = generator(noise, training=True)
        d_loss = discriminator_loss(
            discriminator(real, training=True), discriminator(fake, training=True)
        )
    variables = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, variables), variables, strict=True))
    with tf.GradientTape() as tape:
        g_loss = generator_loss(discriminator(generator(noise, training=True), training=True))
    variables = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables, strict=True))
    return d_loss, g_loss


def _one_pass(g_objective: str = "non-saturating", training: bool = True) -> StepFunction:
    """The right step, or a known mistake: the generator minimising minus the discriminator's
    loss (the saturating minimax form), or networks called in inference mode."""

    def step(real, noise, generator, discriminator, g_optimizer, d_optimizer):
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = generator(noise, training=training)
            real_logits = discriminator(real, training=training)
            fake_logits = discriminator(fake, training=training)
            d_loss = discriminator_loss(real_logits, fake_logits)
            g_loss = generator_loss(fake_logits) if g_objective == "non-saturating" else -d_loss
        for tape, loss, model, optimizer in (
            (d_tape, d_loss, discriminator, d_optimizer),
            (g_tape, g_loss, generator, g_optimizer),
        ):
            variables = model.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return d_loss, g_loss

    return step


#: Known mistakes and what to say about them: message -> the step that makes the mistake.
MISTAKES: dict[str, StepFunction] = {
    "the generator learned against the discriminator AFTER its update (alternating updates, "
    "as in keras-io's DCGAN example): here both losses come from ONE forward pass, and both "
    "players are updated from it": _alternating,
    "the generator minimised minus the discriminator's loss (the saturating minimax form): "
    "its loss is the cross-entropy of its images labelled 1, generator_loss(fake_logits)": (
        _one_pass(g_objective="minimax")
    ),
    "the networks were called in inference mode: pass training=True, so batch "
    "normalisation uses (and updates) the batch's statistics": _one_pass(training=False),
}


def largest_gap(changes: list[np.ndarray], reference: list[np.ndarray]) -> float:
    """The largest difference between two networks' weight changes (0: the same update)."""
    return max(float(np.max(np.abs(a - b))) for a, b in zip(changes, reference, strict=True))


def _check_losses(generator_loss_fn, discriminator_loss_fn) -> None:
    rng = np.random.default_rng(37)
    real = tf.constant(rng.normal(1, 2, (32, 1)), tf.float32)
    fake = tf.constant(rng.normal(-1, 2, (32, 1)), tf.float32)
    g_value = require_answer("3.6", generator_loss_fn(fake), "generator_loss(fake_logits)")
    softplus = tf.math.softplus
    require_close(
        "3.6", float(g_value), float(generator_loss(fake)), "generator_loss", atol=1e-5,
        hint="the generator wants its images called real: cross-entropy with label 1",
        mistakes={
            "that is the cross-entropy with label 0, the discriminator's target for generated "
            "images; the generator's target is 1": float(tf.reduce_mean(softplus(fake))),
            "that is the saturating minimax loss, minus the discriminator's term on generated "
            "images: its gradient vanishes when the discriminator wins, so use the "
            "cross-entropy of the generated images labelled 1": -float(
                tf.reduce_mean(softplus(fake))
            ),
        },
    )  # fmt: skip
    d_value = require_answer(
        "3.6", discriminator_loss_fn(real, fake), "discriminator_loss(real_logits, fake_logits)"
    )
    expected = float(discriminator_loss(real, fake))
    require_close(
        "3.6", float(d_value), expected, "discriminator_loss", atol=1e-5,
        hint="real images get label 1, generated ones 0: the mean cross-entropy of each, added",
        mistakes={
            "real and generated labels are swapped": float(discriminator_loss(fake, real)),
            "add the mean over the real batch and the mean over the generated batch (you took "
            "one mean of both)": expected / 2,
        },
    )  # fmt: skip


def check_train_step(
    train_step: StepFunction, generator_loss_fn: Callable, discriminator_loss_fn: Callable
) -> None:
    """Exercise 3.6: both losses, then one step on fixed weights and noise against
    :meth:`ganaug.gan.DCGAN.step`.

    Examples
    --------
    >>> check_train_step(_one_pass(), generator_loss, discriminator_loss)
    Exercise 3.6 passed: both losses, and your step changed all 23 weight arrays as DCGAN.step does
    """
    for value, name in (
        (generator_loss_fn, "generator_loss"),
        (discriminator_loss_fn, "discriminator_loss"),
        (train_step, "train_step"),
    ):
        require_answer("3.6", value, name)
    _check_losses(generator_loss_fn, discriminator_loss_fn)
    reference = library_step()
    student = run_step(train_step)
    gaps = {
        name: largest_gap(student[name], reference[name]) for name in ("generator", "discriminator")
    }
    if max(gaps.values()) > 1e-5:
        for message, mistake in MISTAKES.items():
            wrong = run_step(mistake)
            if all(largest_gap(student[n], wrong[n]) < 1e-6 for n in gaps):
                fail("3.6", message)
        for name, gap in gaps.items():
            if student["moved"][name] == 0:
                fail("3.6", f"the {name}'s weights did not change: apply its gradients")
            if gap > 1e-5:
                fail(
                    "3.6",
                    f"the {name}'s update differs from DCGAN.step's (by up to {gap:.2g}): take "
                    f"each player's gradient of its own loss with respect to its own "
                    f"trainable_variables and apply it with its own optimizer",
                )
    returned = require_answer("3.6", student["returned"], "what train_step returned")
    try:
        d_loss, g_loss = (float(value) for value in returned)
    except (TypeError, ValueError):
        fail("3.6", "train_step should return the two losses, (d_loss, g_loss)")
    require_close("3.6", [d_loss, g_loss], reference["returned"], "(d_loss, g_loss)", atol=1e-4,
                  hint="compute both losses from one forward pass, before any update")  # fmt: skip
    arrays = len(student["generator"]) + len(student["discriminator"])
    passed(
        "3.6", f"both losses, and your step changed all {arrays} weight arrays as DCGAN.step does"
    )
