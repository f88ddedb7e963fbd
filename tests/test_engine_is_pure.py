"""The engine imports nothing of Django's: it runs, and is tested, without a database."""

import subprocess
import sys


def test_the_engine_package_imports_no_django():
    code = (
        "import sys; import quiz.engine;"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'quiz'}))"
    )

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == str(
        [
            "quiz",
            "quiz.engine",
            "quiz.engine.answers",
            "quiz.engine.checks",
            "quiz.engine.emblem",
            "quiz.engine.evaluate",
            "quiz.engine.format",
            "quiz.engine.jsontext",
            "quiz.engine.kinds",
            "quiz.engine.progress",
            "quiz.engine.types",
            "quiz.engine.validate",
        ]
    )
