"""Go objects sent to worker processes: a ProcessPoolExecutor with the
spawn and forkserver start methods, and a dask.distributed LocalCluster
with worker processes.

The workers are fresh interpreters (a forked child cannot run Go), so each
one unpickles a Go object by importing the gomod module that declares its
type. The hashes are fed in this process, finished in a worker and compared
with hashlib.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

import gomod._pickling as p
import gomod.crypto.sha256 as sha256
import gomod.regexp as regexp

pytestmark = pytest.mark.timeout(240)

LINES = [
    "mail alice@example.com and bob@example.org",
    "no address here",
    "carol@example.net; dave@example.com",
    "élodie@exemple.fr",
]
# Go's \w is ASCII: the é is not part of the last match.
MATCHES = [
    "alice@example.com",
    "bob@example.org",
    "carol@example.net",
    "dave@example.com",
    "lodie@exemple.fr",
]
EMAIL = r"[\w.]+@[\w.]+\.\w+"


def _started(data: bytes):
    h = sha256.new()
    h.update(data)
    return h


# The tasks the workers run, by reference to this module.


def finish_hash(h, tail: bytes) -> str:
    h.update(tail)
    return h.hexdigest()


def finish_digest(d, tail: bytes) -> str:
    """Finish the hash _pickling returns as a hash.Hash (its concrete type is
    a type of Go's crypto/sha256)."""
    d.write(tail)
    return d.sum(b"").hex()


def find_all(lines: list[str], pattern) -> list[str]:
    """The matches of pattern in lines: a partition and a Go object, in the
    order Bag.map_partitions passes them."""
    return [m for line in lines for m in pattern.find_all_string(line, -1)]


def roundtrip(obj):
    """Send obj back: the parent unpickles what the worker pickled."""
    return obj


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_process_pool(method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method on {sys.platform}")
    pattern = regexp.compile(EMAIL)
    h = _started(b"hello ")
    d = p.sha256_started(b"hello ")
    want = hashlib.sha256(b"hello world").hexdigest()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
        hashes = pool.submit(finish_hash, h, b"world")
        digests = pool.submit(finish_digest, d, b"world")
        found = list(pool.map(find_all, [LINES[:2], LINES[2:]], [pattern] * 2))
        back = pool.submit(roundtrip, [pattern, h, d]).result(timeout=120)
        assert hashes.result(timeout=120) == want
        assert digests.result(timeout=120) == want
    assert found[0] + found[1] == MATCHES
    # The originals are untouched: the workers had copies.
    assert h.hexdigest() == hashlib.sha256(b"hello ").hexdigest()
    assert type(back[0]) is regexp.Regexp and str(back[0]) == EMAIL
    assert back[1].hexdigest() == h.hexdigest()
    assert back[2].sum(b"").hex() == hashlib.sha256(b"hello ").hexdigest()


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is a test dependency: make install-test"
    )
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            worker_dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.mark.slow
def test_dask_futures(dask_client):
    pattern = regexp.compile(EMAIL)
    want = hashlib.sha256(b"hello world").hexdigest()
    hashes = dask_client.submit(finish_hash, _started(b"hello "), b"world", pure=False)
    digests = dask_client.submit(finish_digest, p.sha256_started(b"hello "), b"world", pure=False)
    # Scattered once, the regexp is unpickled on each worker that uses it.
    [remote] = dask_client.scatter([pattern], broadcast=True)
    found = dask_client.map(find_all, [LINES[:2], LINES[2:]], [remote] * 2, pure=False)
    assert hashes.result(timeout=120) == want
    assert digests.result(timeout=120) == want
    parts = dask_client.gather(found)
    assert parts[0] + parts[1] == MATCHES
    # The workers are processes of their own.
    pids = dask_client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()
    back = dask_client.submit(roundtrip, pattern, pure=False).result(timeout=120)
    assert type(back) is regexp.Regexp and back is not pattern and str(back) == EMAIL


@pytest.mark.slow
def test_dask_bag_map_partitions(dask_client):
    import dask.bag as db

    pattern = regexp.compile(EMAIL)
    bag = db.from_sequence(LINES * 5, npartitions=4)
    found = bag.map_partitions(find_all, pattern).compute()
    assert sorted(found) == sorted(MATCHES * 5)
