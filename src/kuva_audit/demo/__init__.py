"""The bundled demo: seven small sites with known defects, served on 127.0.0.1."""
