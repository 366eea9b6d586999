"""ganaug: the library behind the book *GAN-based data augmentation for skin-lesion images*.

A teaching project, not a diagnostic tool.
"""

import os as _os

from ganaug.common import quiet as _quiet

# TensorFlow's C++ start-up lines stay out of terminals, logs and pages (ganaug.common.quiet);
# later, its C++ info and warning lines too. Its errors and Python's warnings still show.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_quiet.install()

__version__ = "0.1.0"
