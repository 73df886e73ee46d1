"""The README's Python example must run exactly as written."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_python_examples_run_as_written(tmp_path):
    blocks = python_blocks()
    assert blocks, "README has no python example"
    for code in blocks:
        # In a folder of its own: the examples save pictures where they run.
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                cwd=tmp_path, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "(501, 2)" in result.stdout


def test_readme_shows_the_two_commands_first():
    text = README.read_text()
    assert text.index("make play") < text.index("pip install")
    assert text.index("make test") < text.index("pip install")


def test_readme_demo_script_parses_and_names_every_command():
    from gdviz.core.commands import Command, parse_script

    text = README.read_text()
    script = re.findall(r"```text\n(.*?)```", text, flags=re.S)[0]
    timeline = parse_script(script)
    assert [a.command for _, a in timeline][:3] == [Command.PLAY_PAUSE, Command.PLAY_PAUSE, Command.OPTIMIZER]
    for command in Command:
        assert f"`{command.value}" in text, f"README does not list the script command {command.value}"
