# JupyterLab for the book's chapters. `make lab` and tests/test_lab.py start
# Lab with JUPYTER_CONFIG_PATH=lab, so Jupyter reads this file and
# labconfig/default_setting_overrides.json (a double-click opens a chapter
# as a notebook; no news or update pop-ups).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from book_contents import BookContentsManager  # noqa: E402

c = get_config()  # noqa: F821
c.ServerApp.contents_manager_class = BookContentsManager
