"""Image reading (reader.py) and analysis (upscale.py)."""
