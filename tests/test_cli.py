"""The taxobot command: given these arguments, this output and exit status."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from bot import cli


def run(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_prints_one_answer(capsys):
    code, out, _ = run(capsys, "ask", "what type of model is BERT?")
    assert code == 0 and "Masked Language Models" in out


def test_ask_takes_several_words_without_quotes(capsys):
    code, out, _ = run(capsys, "ask", "who", "developed", "T5?")
    assert code == 0 and "Google" in out


def test_ask_json_prints_the_reply_dict(capsys):
    code, out, _ = run(capsys, "ask", "--json", "is GPT-4 proprietary?")
    data = json.loads(out)
    assert code == 0 and data["intent"] == "membership" and data["text"].startswith("Yes")


def test_ask_explain_shows_the_understanding(capsys):
    _, out, _ = run(capsys, "ask", "--explain", "is llama open source?")
    assert "intents:" in out and "membership" in out and "LLaMA" in out


def test_chat_keeps_one_conversation_across_lines(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("is GPT-Neo open source?\nand MPT?\n"))
    code, out, _ = run(capsys, "chat")
    assert code == 0
    assert out.count("Yes.") == 2 and "MPT" in out and ">" not in out.splitlines()[0]


def test_validate_passes_on_the_bundled_data(capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and "ok" in out


def test_validate_reports_file_line_message(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("models:\n  - id: x\n    name: X\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1
    assert f"{bad}:2: model 'x': missing required field 'summary'" in out


def test_knowledge_errors_go_to_stderr_without_traceback(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("models: [\n", encoding="utf-8")
    code, out, err = run(capsys, "ask", "--knowledge", str(bad), "hi")
    assert code == 1 and "bad.yaml:" in err and "Traceback" not in err


def test_a_missing_knowledge_file_is_a_clear_error(capsys):
    code, _, err = run(capsys, "ask", "--knowledge", "/nonexistent.yaml", "hi")
    assert code == 2 and "no such knowledge file" in err


def test_the_one_shot_path_never_imports_textual():
    code = ("import sys; from bot.cli import main; main(['ask', 'hi']); "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("False")


def test_python_dash_m_bot_is_the_same_command():
    out = subprocess.run([sys.executable, "-m", "bot", "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("taxobot ")
