"""The GAN options for small data: DiffAugment, spectral normalisation, resize-convolution,
a moving average of the generator, and the projection discriminator."""

import random

import keras
import numpy as np
import pytest
import tensorflow as tf

from ganaug.data import synthetic_lesions
from ganaug.gan import (
    DCGAN,
    ConditionalGAN,
    build_discriminator,
    build_generator,
    diff_augment,
    generate,
    to_gan_range,
    train_gan,
)
from ganaug.gan.diffaugment import (
    TRANSFORMS,
    cut_out,
    random_translation,
    translate,
)
from ganaug.gan.ema import ema_decay_at
from ganaug.gan.spectral import SeededSpectralNormalization

LATENT = 8
REAL = to_gan_range(synthetic_lesions(n_per_class=16, seed=0).images)  # 48 images
LABELS = np.repeat(np.arange(3), 16)
EVERY_TRANSFORM = [t for family in TRANSFORMS.values() for t in family]


def images_in_range(n=4, seed=0):
    return tf.random.stateless_uniform((n, 28, 28, 3), (seed, 1), -1.0, 1.0)


# DiffAugment ---------------------------------------------------------------------------------


@pytest.mark.parametrize("transform", EVERY_TRANSFORM, ids=lambda t: t.__name__)
def test_every_transform_passes_a_gradient_to_its_input(transform):
    images = tf.Variable(images_in_range())
    weights = tf.random.stateless_normal(images.shape, (3, 4))
    with tf.GradientTape() as tape:
        out = transform(images, keras.random.SeedGenerator(1))
        loss = tf.reduce_sum(out * weights)
    gradient = tape.gradient(loss, images)
    gradient = tf.convert_to_tensor(gradient).numpy()
    assert out.shape == images.shape
    assert np.isfinite(gradient).all() and np.abs(gradient).sum() > 0


def test_the_whole_policy_passes_a_gradient():
    images = tf.Variable(images_in_range())
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(diff_augment(images, seed=2) ** 2)
    gradient = tf.convert_to_tensor(tape.gradient(loss, images)).numpy()
    assert np.isfinite(gradient).all() and np.abs(gradient).sum() > 0


def test_transforms_keep_shape_and_documented_ranges():
    images = images_in_range(16)
    seed = keras.random.SeedGenerator(0)
    for name in ("translation", "cutout"):  # zeros and original values only
        out = diff_augment(images, name, seed).numpy()
        assert out.shape == images.shape and -1 <= out.min() and out.max() <= 1
    brightness = TRANSFORMS["color"][0](images, seed) - images
    per_image = brightness.numpy().reshape(16, -1)
    assert np.allclose(per_image, per_image[:, :1], atol=1e-6)  # one shift per image
    assert np.abs(per_image).max() <= 0.5
    assert np.isfinite(diff_augment(images, "color", seed).numpy()).all()


def test_translation_moves_the_content():
    image = np.zeros((1, 28, 28, 1), np.float32)
    image[0, 10, 12] = 1.0
    moved = translate(image, tf.constant([[2, -3]])).numpy()
    assert moved[0, 12, 9, 0] == 1.0 and moved.sum() == 1.0
    gone = translate(image, tf.constant([[20, 0]])).numpy()  # pushed out of the frame
    assert gone.sum() == 0.0
    batch = np.repeat(image, 32, axis=0)
    shifted = random_translation(batch, keras.random.SeedGenerator(0)).numpy()
    rows, cols = np.nonzero(shifted[..., 0])[1:]
    assert len(rows) == 32  # every image keeps its pixel (shift at most 4 of 28 px)
    assert np.abs(rows - 10).max() <= 4 and np.abs(cols - 12).max() <= 4
    assert len(set(zip(rows.tolist(), cols.tolist(), strict=True))) > 5  # moved, and differently


def test_cutout_zeroes_one_square():
    out = cut_out(np.ones((1, 28, 28, 1), np.float32), tf.constant([[14, 14]]), 14).numpy()
    assert (out[0, 7:21, 7:21] == 0).all() and out.sum() == 28 * 28 - 14 * 14


def test_no_policy_is_the_identity_and_seeds_repeat():
    images = images_in_range()
    assert diff_augment(images, None) is not None
    assert np.array_equal(diff_augment(images, None).numpy(), images.numpy())
    assert np.array_equal(diff_augment(images, "").numpy(), images.numpy())
    assert np.array_equal(diff_augment(images, seed=5).numpy(), diff_augment(images, seed=5))
    generator = keras.random.SeedGenerator(5)
    first, second = diff_augment(images, seed=generator), diff_augment(images, seed=generator)
    assert not np.array_equal(first.numpy(), second.numpy())  # a generator draws anew
    with pytest.raises(ValueError, match="unknown DiffAugment"):
        diff_augment(images, "color,flip")


def test_diff_augment_and_the_options_leave_global_randomness_alone():
    def global_draws():
        return random.random(), float(np.random.random()), float(tf.random.uniform(()))

    def after(call):
        random.seed(1)
        np.random.seed(1)
        tf.random.set_seed(1)
        call()
        return global_draws()

    baseline = after(lambda: None)
    assert after(lambda: diff_augment(images_in_range(), seed=3)) == baseline
    assert after(lambda: build_discriminator(base_filters=4, spectral_norm=True)) == baseline
    assert (
        after(lambda: build_discriminator(base_filters=4, num_classes=3, head="projection"))
        == baseline
    )
    assert after(lambda: build_generator(8, 4, upsampling="resize")) == baseline


# Spectral normalisation ----------------------------------------------------------------------


def test_spectral_norm_brings_the_largest_singular_value_to_one():
    discriminator = build_discriminator(base_filters=8, num_classes=3, spectral_norm=True)
    wrapped = [
        layer for layer in discriminator.layers if isinstance(layer, SeededSpectralNormalization)
    ]
    assert len(wrapped) == 4  # two convolutions, the logit and the class head
    before = [
        np.linalg.svd(w.kernel.numpy().reshape(-1, w.kernel.shape[-1]))[1][0] for w in wrapped
    ]
    assert max(abs(s - 1) for s in before) > 0.1  # not normalised at initialisation
    for _ in range(30):  # one power iteration per training call
        discriminator(REAL[:2], training=True)
    for layer in wrapped:
        matrix = layer.kernel.numpy().reshape(-1, layer.kernel.shape[-1])
        assert np.linalg.svd(matrix, compute_uv=False)[0] == pytest.approx(1.0, abs=0.02)


def test_spectral_norm_keeps_the_default_layers_initial_weights():
    plain = build_discriminator(base_filters=4, seed=3)
    normalised = build_discriminator(base_filters=4, seed=3, spectral_norm=True)
    kernels = [v.numpy() for v in plain.trainable_variables]
    others = [v.numpy() for v in normalised.trainable_variables]
    assert all(np.array_equal(a, b) for a, b in zip(kernels, others, strict=True))


# Resize-convolution --------------------------------------------------------------------------


def test_every_upsampling_makes_the_same_shapes():
    noise = np.random.default_rng(0).normal(size=(2, LATENT)).astype("float32")
    for upsampling in ("transpose", "resize", "bilinear"):
        generator = build_generator(LATENT, 8, upsampling=upsampling)
        assert generator.output_shape == (None, 28, 28, 3)
        out = generator(noise).numpy()
        assert out.shape == (2, 28, 28, 3) and -1 <= out.min() and out.max() <= 1
    resize = build_generator(LATENT, 8, upsampling="resize")
    strided = [lay for lay in resize.layers if isinstance(lay, keras.layers.Conv2DTranspose)]
    assert all(lay.strides == (1, 1) for lay in strided)
    with pytest.raises(ValueError, match="unknown upsampling"):
        build_generator(LATENT, 8, upsampling="pixelshuffle")


# Moving average of the generator -------------------------------------------------------------


def test_the_moving_average_follows_its_formula_step_by_step():
    keras_gan = DCGAN(
        build_generator(LATENT, 4), build_discriminator(base_filters=4), LATENT, ema_decay=0.9
    )
    keras_gan.compile()
    generator, average = keras_gan.generator, keras_gan.ema_generator
    trainable = [i for i, w in enumerate(generator.weights) if w.trainable]
    expected = [generator.weights[i].numpy() for i in trainable]
    start = [e.copy() for e in expected]
    for update in (1, 2, 3):
        keras_gan.train_step(REAL[:16])
        decay = float(ema_decay_at(update, 0.9))
        assert decay == pytest.approx(min(0.9, (1 + update) / (10 + update)))
        current = [generator.weights[i].numpy() for i in trainable]
        expected = [decay * e + (1 - decay) * w for e, w in zip(expected, current, strict=True)]
        for i, value in zip(trainable, expected, strict=True):
            assert np.allclose(average.weights[i].numpy(), value, atol=1e-6)
    moved = [
        i for i, (s, w) in enumerate(zip(start, current, strict=True)) if not np.allclose(s, w)
    ]
    assert moved
    for i in moved:  # strictly between the start and the last weights, somewhere
        shadow = average.weights[trainable[i]].numpy()
        assert not np.allclose(shadow, current[i]) and not np.allclose(shadow, start[i])
    for shadow, weight in zip(average.weights, generator.weights, strict=True):
        if not weight.trainable:  # batch-norm statistics are copied
            assert np.array_equal(shadow.numpy(), weight.numpy())


def test_sampling_uses_the_average_and_a_checkpoint_keeps_it(tmp_path):
    def gan():
        model = DCGAN(
            build_generator(LATENT, 4), build_discriminator(base_filters=4), LATENT, ema_decay=0.99
        )
        model.compile()
        return model

    trained = gan()
    train_gan(trained, REAL, 2, batch_size=16, checkpoint_dir=tmp_path, verbose=0)
    assert np.array_equal(generate(trained, 4, seed=1), generate(trained.ema_generator, 4, seed=1))
    assert not np.array_equal(generate(trained, 4, seed=1), generate(trained.generator, 4, seed=1))
    resumed = gan()
    assert train_gan(resumed, REAL, 2, batch_size=16, checkpoint_dir=tmp_path).history == {}
    for a, b in zip(resumed.ema_generator.weights, trained.ema_generator.weights, strict=True):
        assert np.array_equal(a.numpy(), b.numpy())


# The options together, and the projection discriminator --------------------------------------


def test_a_dcgan_with_every_option_trains_and_stays_finite():
    gan = DCGAN(
        build_generator(LATENT, 8, upsampling="resize"),
        build_discriminator(base_filters=8, spectral_norm=True),
        LATENT,
        augment_policy="color,translation,cutout",
        ema_decay=0.999,
    )
    gan.compile()
    history = train_gan(gan, REAL, 2, batch_size=16, verbose=0)
    assert all(np.isfinite(values).all() for values in history.history.values())
    assert np.isfinite(generate(gan, 4).astype(float)).all()
    with pytest.raises(ValueError, match="unknown loss"):
        DCGAN(build_generator(LATENT, 4), build_discriminator(base_filters=4), LATENT, loss="w")


def projection_gan(loss="hinge", **options):
    gan = ConditionalGAN(
        build_generator(LATENT, 8, num_classes=3, upsampling="resize"),
        build_discriminator(base_filters=8, num_classes=3, head="projection", **options),
        LATENT,
        num_classes=3,
        loss=loss,
        augment_policy="color,translation,cutout",
        ema_decay=0.99,
    )
    gan.compile()
    return gan


def test_the_projection_term_depends_on_the_label():
    discriminator = build_discriminator(base_filters=8, num_classes=3, head="projection")
    images = REAL[:4]
    logits = [discriminator([images, np.full(4, label)]).numpy() for label in range(3)]
    assert not np.allclose(logits[0], logits[1])
    # logit(y) - logit(y') = <embed(y) - embed(y'), phi(x)>: the label enters only there.
    features = keras.Model(discriminator.inputs, discriminator.get_layer("features").output)
    phi = features([images, np.zeros(4)]).numpy()
    table = discriminator.get_layer("class_embedding").embeddings.numpy()
    expected = phi @ (table[0] - table[2])
    assert np.allclose((logits[0] - logits[2])[:, 0], expected, atol=1e-4)


def test_a_projection_gan_trains_and_draws_the_class_it_is_given():
    gan = projection_gan(spectral_norm=True)
    assert gan.conditioning == "projection"
    history = train_gan(gan, REAL, 2, batch_size=16, labels=LABELS, verbose=0)
    assert all(np.isfinite(values).all() for values in history.history.values())
    same_noise = [generate(gan, 4, seed=0, labels=label) for label in (0, 1, 0)]
    assert np.array_equal(same_noise[0], same_noise[2])
    assert all(not np.array_equal(a, b) for a, b in zip(*same_noise[:2], strict=True))
    bce = projection_gan(loss="bce")
    assert np.isfinite(train_gan(bce, REAL, 1, 16, LABELS, verbose=0).history["d_loss"]).all()


def test_a_projection_discriminator_for_other_classes_is_refused():
    with pytest.raises(ValueError, match="class embedding has 4 classes"):
        ConditionalGAN(
            build_generator(LATENT, 4, num_classes=3),
            build_discriminator(base_filters=4, num_classes=4, head="projection"),
            LATENT,
            3,
        )
    with pytest.raises(ValueError, match="unknown head"):
        build_discriminator(base_filters=4, num_classes=3, head="auxiliary")
