"""ganaug: the library behind the book *GAN-based data augmentation for skin-lesion images*.

A teaching project, not a diagnostic tool.
"""

from ganaug import startup as _startup

# TensorFlow's C++ start-up lines stay out of terminals, logs and pages; real errors and
# warnings still show (see ganaug.startup).
_startup.install()

__version__ = "0.1.0"
