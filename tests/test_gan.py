"""The GANs: shapes and ranges, a finite training step, resume after interruption, save/load."""

import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from ganaug.data import synthetic_lesions
from ganaug.gan import (
    DCGAN,
    ConditionalGAN,
    SampleGrid,
    build_discriminator,
    build_generator,
    discriminator_loss,
    generate,
    load_generator,
    save_generator,
    tile_images,
    to_gan_range,
    to_uint8,
    train_gan,
)

LATENT = 8
REAL = to_gan_range(synthetic_lesions(n_per_class=16, seed=0).images)  # 48 images


def small_gan(cls=DCGAN, num_classes=None, seed=0):
    keras.utils.set_random_seed(seed)
    generator = build_generator(LATENT, base_filters=8, num_classes=num_classes)
    discriminator = build_discriminator(base_filters=8, num_classes=num_classes)
    extra = {"num_classes": num_classes} if num_classes else {}
    gan = cls(generator, discriminator, latent_dim=LATENT, seed=seed, **extra)
    gan.compile()
    return gan


def test_shapes_and_ranges():
    generator = build_generator(LATENT, base_filters=8)
    out = generator.predict(np.random.default_rng(0).normal(size=(4, LATENT)), verbose=0)
    assert out.shape == (4, 28, 28, 3) and out.min() >= -1 and out.max() <= 1
    logits = build_discriminator(base_filters=8).predict(REAL[:4], verbose=0)
    assert logits.shape == (4, 1)
    images = generate(generator, 6, seed=0)
    assert images.shape == (6, 28, 28, 3) and images.dtype == np.uint8


def test_range_conversions_round_trip():
    images = synthetic_lesions(n_per_class=2).images
    scaled = to_gan_range(images)
    assert scaled.min() >= -1 and scaled.max() <= 1
    assert np.array_equal(to_uint8(scaled), images)


def test_one_epoch_stays_finite_and_logs_the_game():
    gan = small_gan()
    history = train_gan(gan, REAL, epochs=1, batch_size=16, verbose=0)
    for name in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.isfinite(history.history[name]).all(), name
    for weights in gan.generator.get_weights() + gan.discriminator.get_weights():
        assert np.isfinite(weights).all()


def test_compile_uses_the_given_optimizers_and_loss_function():
    default, custom = small_gan(seed=4), small_gan(seed=4)  # same weights, noise and dropout
    smoothed = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)
    custom.compile(
        d_optimizer=keras.optimizers.SGD(0.0),
        g_optimizer=keras.optimizers.SGD(0.0),
        loss_fn=smoothed,
    )
    before = [v.numpy() for v in custom.generator.trainable_variables]
    first, second = default.train_step(REAL[:16]), custom.train_step(REAL[:16])
    assert float(first["d_real"]) == pytest.approx(float(second["d_real"]), rel=1e-4)
    assert float(first["d_loss"]) != pytest.approx(float(second["d_loss"]), rel=1e-3)
    after = [v.numpy() for v in custom.generator.trainable_variables]
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))  # lr 0


def test_conditional_gan_trains_and_generates_per_class():
    labels = np.repeat(np.arange(3), 16)
    gan = small_gan(ConditionalGAN, num_classes=3)
    history = train_gan(gan, REAL, epochs=1, batch_size=16, labels=labels, verbose=0)
    assert np.isfinite(history.history["d_loss"]).all()
    assert generate(gan.generator, 4, seed=0, labels=2).shape == (4, 28, 28, 3)
    same_noise = [generate(gan.generator, 4, seed=0, labels=label) for label in (0, 1, 0)]
    assert np.array_equal(same_noise[0], same_noise[2])
    assert all(not np.array_equal(a, b) for a, b in zip(*same_noise[:2], strict=True))
    with pytest.raises(ValueError, match="pass labels"):
        generate(gan.generator, 4)
    with pytest.raises(ValueError, match="needs labels"):
        train_gan(gan, REAL, epochs=1, batch_size=16)


def test_resume_continues_from_the_last_epoch_with_saved_weights(tmp_path):
    class Interrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise KeyboardInterrupt  # a disconnect during the third epoch

    first = small_gan(seed=1)
    with pytest.raises(KeyboardInterrupt):
        train_gan(
            first,
            REAL,
            epochs=5,
            batch_size=16,
            checkpoint_dir=tmp_path,
            verbose=0,
            checkpoint_every=1,
            callbacks=[Interrupt()],
        )
    saved = [w.copy() for w in first.generator.get_weights()]

    resumed = small_gan(seed=2)  # a fresh process: different initial weights
    assert not all(
        np.array_equal(a, b) for a, b in zip(saved, resumed.generator.get_weights(), strict=True)
    )
    seen = []
    watcher = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(epoch))
    check = keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs: seen.append(
            all(
                np.array_equal(a, b)
                for a, b in zip(saved, resumed.generator.get_weights(), strict=True)
            )
        )
    )
    history = train_gan(
        resumed,
        REAL,
        epochs=4,
        batch_size=16,
        checkpoint_dir=tmp_path,
        checkpoint_every=1,
        callbacks=[check, watcher],
        verbose=0,
    )
    assert seen == [True, 2, 3]  # restored weights at the start; epochs 3 and 4 (0-based 2, 3)
    assert len(history.history["d_loss"]) == 2
    again = train_gan(small_gan(seed=3), REAL, epochs=4, batch_size=16, checkpoint_dir=tmp_path)
    assert again.history == {}  # already finished


def test_sparser_checkpoints_lose_at_most_checkpoint_every_epochs(tmp_path):
    class Interrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 3:
                raise KeyboardInterrupt  # during the fourth epoch; the last save was after two

    with pytest.raises(KeyboardInterrupt):
        train_gan(
            small_gan(),
            REAL,
            epochs=5,
            batch_size=16,
            checkpoint_dir=tmp_path,
            checkpoint_every=2,
            callbacks=[Interrupt()],
            verbose=0,
        )
    history = train_gan(
        small_gan(),
        REAL,
        epochs=3,
        batch_size=16,
        checkpoint_dir=tmp_path,
        checkpoint_every=2,
        verbose=0,
    )
    assert history.epoch == [2]  # resumed after epoch 2 and ran the third
    assert train_gan(small_gan(), REAL, 3, 16, checkpoint_dir=tmp_path).history == {}  # saved 3


def test_saved_generator_generates_the_same_images(tmp_path):
    generator = small_gan().generator
    save_generator(generator, tmp_path / "generator.keras")
    loaded = load_generator(tmp_path / "generator.keras")
    assert np.array_equal(generate(generator, 5, seed=7), generate(loaded, 5, seed=7))
    assert not np.array_equal(generate(loaded, 5, seed=7), generate(loaded, 5, seed=8))
    with pytest.raises(ValueError, match=".keras"):
        save_generator(generator, tmp_path / "generator.h5")


def test_sample_grid_uses_fixed_noise(tmp_path):
    grid = SampleGrid(every=2, n=4, seed=0, folder=tmp_path)
    train_gan(small_gan(), REAL, epochs=4, batch_size=16, callbacks=[grid], verbose=0)
    assert sorted(grid.samples) == [1, 2, 4]
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "epoch_00001.png",
        "epoch_00002.png",
        "epoch_00004.png",
    ]


def test_sample_grid_saves_without_the_figures_layer(tmp_path, monkeypatch):
    for name in ("ganaug.plots", "ganaug.plots.gan"):
        monkeypatch.setitem(sys.modules, name, None)  # importing it now fails
    grid = SampleGrid(every=1, n=5, seed=0, folder=tmp_path, columns=3, scale=2)
    train_gan(small_gan(), REAL, epochs=1, batch_size=16, callbacks=[grid], verbose=0)
    saved = np.asarray(Image.open(tmp_path / "epoch_00001.png").convert("RGB"))
    assert np.array_equal(saved, tile_images(grid.samples[1], columns=3).repeat(2, 0).repeat(2, 1))


def test_tile_images_places_each_image_in_reading_order():
    images = np.arange(5, dtype=np.uint8)[:, None, None, None] * np.ones((1, 2, 2, 3), np.uint8)
    tiled = tile_images(images, columns=3, gap=1)
    assert tiled.shape == (2 * 2 + 1, 3 * 2 + 2, 3) and tiled.dtype == np.uint8
    assert tiled[0, 3].tolist() == [1, 1, 1] and tiled[3, 3].tolist() == [4, 4, 4]
    assert tiled[2, 0].tolist() == tiled[4, 7].tolist() == [255, 255, 255]  # gap, empty cell
    with pytest.raises(ValueError, match="columns"):
        tile_images(images, columns=0)


def test_bad_inputs_are_rejected():
    gan = small_gan()
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        train_gan(gan, REAL * 255, epochs=1, batch_size=16)
    with pytest.raises(ValueError, match="at least batch_size"):
        train_gan(gan, REAL[:4], epochs=1, batch_size=16)
    with pytest.raises(ValueError, match="positive int"):
        generate(gan.generator, 0)
    with pytest.raises(ValueError, match="discriminator reads"):
        DCGAN(build_generator(LATENT, 8), build_discriminator((32, 32, 3), 8), LATENT)


def test_fit_rejects_what_the_discriminator_cannot_read():
    gan = small_gan()
    with pytest.raises(ValueError, match=r"\[-1, 1\].*to_gan_range"):
        gan.fit(REAL * 127.5 + 127.5, verbose=0)  # uint8-range values
    with pytest.raises(ValueError, match="shape"):
        gan.fit(REAL[:, :14], verbose=0)
    with pytest.raises(ValueError, match="batch the dataset"):
        gan.fit(tf.data.Dataset.from_tensor_slices(REAL), verbose=0)  # unbatched
    with pytest.raises(ValueError, match="not conditional"):
        gan.fit(REAL, np.zeros(len(REAL)), verbose=0)
    conditional = small_gan(ConditionalGAN, num_classes=3)
    with pytest.raises(ValueError, match="class indices 0 to 2"):
        train_gan(conditional, REAL, 1, batch_size=16, labels=np.full(len(REAL), 3))
    with pytest.raises(ValueError, match="one per image"):
        train_gan(conditional, REAL, 1, batch_size=16, labels=np.zeros(10, int))


def test_discriminator_loss_is_small_only_when_it_is_right():
    confident_right = float(discriminator_loss(np.array([[9.0]]), np.array([[-9.0]])))
    confident_wrong = float(discriminator_loss(np.array([[-9.0]]), np.array([[9.0]])))
    assert confident_right < 0.01 < 10 < confident_wrong


def test_checkpoints_every_n_epochs_and_after_the_last(tmp_path):
    train_gan(
        small_gan(),
        REAL,
        epochs=5,
        batch_size=16,
        checkpoint_dir=tmp_path,
        checkpoint_every=2,
        verbose=0,
    )
    saved = sorted(int(p.name.split("-")[1].split(".")[0]) for p in tmp_path.glob("ckpt-*.index"))
    assert saved == [4, 5]  # max_to_keep=2 of 2, 4, 5


def test_conditional_gan_refuses_mismatched_class_counts():
    from ganaug.gan import ConditionalGAN, build_discriminator, build_generator

    generator = build_generator(8, 4, num_classes=3)
    with pytest.raises(ValueError, match="class head has 4 outputs"):
        ConditionalGAN(generator, build_discriminator(base_filters=4, num_classes=4), 8, 3)
    with pytest.raises(ValueError, match="needs a discriminator with a class head"):
        ConditionalGAN(generator, build_discriminator(base_filters=4), 8, 3)
    with pytest.raises(ValueError, match="needs a conditional generator"):
        ConditionalGAN(
            build_generator(8, 4), build_discriminator(base_filters=4, num_classes=3), 8, 3
        )
