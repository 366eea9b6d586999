"""ganaug: the library behind the book *GAN-based data augmentation for skin-lesion images*.

A teaching project, not a diagnostic tool.
"""

import os as _os

# Keep TensorFlow's C++ start-up chatter out of the book; real warnings still show.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"
