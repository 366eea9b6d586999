"""Everything a lesson or exercise notebook needs beside the chapters' code: glue and display
helpers (:mod:`~ganaug.teaching.display`), the Colab set-up (:mod:`~ganaug.teaching.colab`),
the notebook tooling that writes student editions (:mod:`~ganaug.teaching.notebooks`) and the
exercise checks, one module per chapter (:mod:`ganaug.teaching.exercises`)."""
