"""The chart widget's offline JavaScript is bundled by vl-convert once and read back by every later kernel
(kit.widgets.enable_offline): the cut that takes seconds off a chapter's first chart
(benchmarks/bench_first_chart.py). What a kernel loads is byte for byte what altair itself bundles."""
import hashlib
import os
import subprocess
import sys

ENABLE = ("import hashlib, altair as alt, kit.widgets as w; w.enable_offline(); "
          "print(alt.JupyterChart._is_offline, hashlib.sha256(alt.JupyterChart._esm.encode()).hexdigest())")
NO_BUNDLER = "import vl_convert; vl_convert.javascript_bundle = None; "  # a call would raise TypeError


def kernel(code: str, cache) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "KIT_CACHE_DIR": str(cache)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


def test_the_bundle_is_made_once_and_read_back_unchanged(tmp_path):
    first = kernel(ENABLE, tmp_path)
    kept = list(tmp_path.glob("jupyterchart-offline-altair-*-vl-convert-*.js"))
    assert len(kept) == 1 and kept[0].stat().st_size > 100_000
    assert first[1] == hashlib.sha256(kept[0].read_bytes()).hexdigest()
    second = kernel(NO_BUNDLER + ENABLE, tmp_path)  # vl-convert is not asked again
    assert second == first == ["True", first[1]]


def test_a_cut_or_empty_bundle_is_made_again(tmp_path):
    good = kernel(ENABLE, tmp_path)
    kept = next(tmp_path.glob("jupyterchart-offline-*.js"))
    kept.write_text("// cut", encoding="utf-8")
    assert kernel(ENABLE, tmp_path) == good
    assert kept.stat().st_size > 100_000


def test_a_cache_folder_that_cannot_be_made_still_gives_offline_charts(tmp_path):
    blocker = tmp_path / "a-file"  # a file where the folder should be: no folder can be made there, even as root
    blocker.write_text("x")
    assert kernel(ENABLE, blocker / "cache")[0] == "True"
