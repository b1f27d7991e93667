"""The sample workspace's generator, in parts (run it with tools/make_sample_workspace.py)."""
