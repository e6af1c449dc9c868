"""The modules shipped in the default library, against Python's own implementations."""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib
import inspect
import math
import os
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gomod.crypto.md5 as md5
import gomod.crypto.sha256 as sha256
import gomod.encoding.base64 as gb64
import gomod.encoding.hex as ghex
import gomod.math as gmath
import gomod.math.bits as bits
import gomod.regexp as regexp
import gomod.strings as strings

SETTINGS = settings(max_examples=50, deadline=None)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=60)
U64 = st.integers(min_value=0, max_value=2**64 - 1)
MASK64 = 2**64 - 1

SHIPPED = [
    "gomod.strings",
    "gomod.crypto",
    "gomod.crypto.sha256",
    "gomod.crypto.md5",
    "gomod.encoding",
    "gomod.encoding.base64",
    "gomod.encoding.hex",
    "gomod.math",
    "gomod.math.bits",
    "gomod.regexp",
]


# --- naming and documentation -------------------------------------------------


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (
            strings,
            [
                "to_upper",
                "to_lower",
                "split",
                "join",
                "contains",
                "fields",
                "repeat",
                "replace_all",
                "has_prefix",
                "trim_space",
                "equal_fold",
                "split_n",
            ],
        ),
        (sha256, ["sum256", "sum224", "new", "new224", "SIZE", "BLOCK_SIZE"]),
        (md5, ["sum", "new", "SIZE"]),
        (gb64, ["standard_encode", "standard_decode", "url_encode", "raw_url_decode"]),
        (ghex, ["encode", "decode", "dump"]),
        (
            bits,
            [
                "ones_count64",
                "leading_zeros64",
                "rotate_left64",
                "reverse64",
                "trailing_zeros64",
                "reverse_bytes64",
                "len64",
                "mul64",
                "UINT_SIZE",
            ],
        ),
        (gmath, ["round_to_even", "float64bits", "sqrt", "PI", "MAX_INT64", "SQRT_E"]),
        (regexp, ["compile", "match_string", "must_compile", "quote_meta", "Regexp"]),
    ],
)
def test_go_names_become_snake_case(module, names):
    for name in names:
        assert hasattr(module, name), name
    for name in dir(module):
        # No Go spelling leaks through: CamelCase only for classes.
        attr = getattr(module, name)
        if not name.startswith("_") and not isinstance(attr, type):
            assert re.fullmatch(r"[a-z0-9_]+|[A-Z0-9_]+", name), name


def test_method_names_are_snake_case():
    for cls in (regexp.Regexp, sha256.Hash):
        for name in vars(cls):
            if not name.startswith("_"):
                assert re.fullmatch(r"[a-z0-9_]+", name), (cls, name)
    assert callable(regexp.Regexp.find_all_string)
    assert callable(regexp.Regexp.replace_all_string)


@pytest.mark.parametrize("name", SHIPPED)
def test_docstrings_come_from_go_docs(name):
    module = importlib.import_module(name)
    assert module.__doc__ and module.__doc__.startswith("Package ")
    for attr in getattr(module, "__all__", []):
        value = getattr(module, attr)
        if inspect.isfunction(value) or isinstance(value, type):
            assert value.__doc__ and value.__doc__.strip(), f"{name}.{attr}"


def test_function_docstrings_hold_the_go_doc_comment():
    assert "ToUpper returns s with all Unicode letters mapped to their upper case" in (
        strings.to_upper.__doc__
    )
    assert "Sum256 returns the SHA256 checksum of the data" in sha256.sum256.__doc__
    assert "OnesCount64 returns the number of one bits" in bits.ones_count64.__doc__
    assert "FindAllString" in regexp.Regexp.find_all_string.__doc__
    assert strings.to_upper.__doc__.startswith("to_upper(s: str) -> str")
    assert "Regexp is the representation of a compiled regular expression" in (
        regexp.Regexp.__doc__
    )


# --- strings ------------------------------------------------------------------


@given(ASCII)
@SETTINGS
def test_case_mapping_matches_python_on_ascii(s):
    assert strings.to_upper(s) == s.upper()
    assert strings.to_lower(s) == s.lower()


def test_case_mapping_non_ascii():
    assert strings.to_upper("héllo wörld ǆ") == "HÉLLO WÖRLD Ǆ"
    assert strings.to_lower("ÀÉÎÕÜ") == "àéîõü"
    assert strings.to_upper("😀") == "😀"
    # Go maps rune by rune: ß has no single-rune upper case, unlike Python's "SS"
    assert strings.to_upper("ß") == "ß"


@given(TEXT, TEXT.filter(bool))
@SETTINGS
def test_split_and_join_match_python(s, sep):
    assert strings.split(s, sep) == s.split(sep)
    assert strings.join(s.split(sep), sep) == s
    assert strings.join([s, s], sep) == sep.join([s, s])


def test_split_on_empty_separator_splits_runes():
    assert strings.split("aé😀", "") == ["a", "é", "😀"]
    assert strings.split("", "") == []
    assert strings.join([], ",") == ""


@given(TEXT, TEXT)
@SETTINGS
def test_contains_matches_in(s, sub):
    assert strings.contains(s, sub) is (sub in s)
    assert strings.contains(s + sub + s, sub) is True


@given(st.text(alphabet=" \t\n\r\vab😀é", max_size=40))
@SETTINGS
def test_fields_matches_str_split(s):
    assert strings.fields(s) == s.split()


@given(TEXT, st.integers(min_value=0, max_value=20))
@SETTINGS
def test_repeat_matches_multiplication(s, n):
    assert strings.repeat(s, n) == s * n


@given(TEXT, TEXT, TEXT)
@SETTINGS
def test_replace_all_matches_str_replace(s, old, new):
    assert strings.replace_all(s, old, new) == s.replace(old, new)


def test_replace_and_replacer():
    assert strings.replace("aaaa", "a", "b", 2) == "bbaa"
    assert strings.replace("aaaa", "a", "b", -1) == "bbbb"
    replacer = strings.new_replacer("<", "&lt;", ">", "&gt;")
    assert replacer.replace("<a>") == "&lt;a&gt;"


def test_more_strings():
    assert strings.has_prefix("gobridge", "go") is True
    assert strings.has_suffix("gobridge", "go") is False
    assert strings.index("chicken", "ken") == 4
    assert strings.index("chicken", "dmr") == -1
    assert strings.trim_space("  \t x y \n") == "x y"
    assert strings.equal_fold("Go", "GO") is True
    assert strings.count("cheese", "e") == 3
    assert strings.cut_prefix("gomod.x", "gomod.") == ("x", True)
    assert strings.split_n("a,b,c,d", ",", 2) == ["a", "b,c,d"]
    assert strings.compare("a", "b") == -1


# --- crypto -------------------------------------------------------------------


@given(st.binary(max_size=4096))
@SETTINGS
def test_sha256_and_md5_match_hashlib(data):
    assert sha256.sum256(data) == hashlib.sha256(data).digest()
    assert sha256.sum224(data) == hashlib.sha224(data).digest()
    assert md5.sum(data) == hashlib.md5(data).digest()


def test_sha256_of_one_mebibyte_and_more():
    for size in (1 << 20, (1 << 20) + 7, 3 * (1 << 20)):
        data = os.urandom(size)
        assert sha256.sum256(data) == hashlib.sha256(data).digest()
        assert sha256.sum256(bytearray(data)) == hashlib.sha256(data).digest()
        assert sha256.sum256(memoryview(data)[1:]) == hashlib.sha256(data[1:]).digest()
        assert md5.sum(data) == hashlib.md5(data).digest()


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (sha256.new, hashlib.sha256),
        (sha256.new224, hashlib.sha224),
        (md5.new, hashlib.md5),
    ],
)
def test_hash_objects_behave_like_hashlib(ours, theirs):
    h, ref = ours(), theirs()
    assert (h.name, h.digest_size, h.block_size) == (ref.name, ref.digest_size, ref.block_size)
    assert h.digest() == ref.digest()
    chunks = [os.urandom(n) for n in (0, 1, 63, 64, 65, 1000, 1 << 16)]
    for i, chunk in enumerate(chunks):
        feed = (bytes, bytearray, memoryview)[i % 3](chunk)
        assert h.update(feed) is None
        ref.update(chunk)
        assert h.digest() == ref.digest()  # digest does not finish the hash
        assert h.hexdigest() == ref.hexdigest()
    assert len(h.digest()) == ref.digest_size
    copy, ref_copy = h.copy(), ref.copy()
    assert copy is not h
    assert type(copy) is type(h)
    copy.update(b"only the copy")
    ref_copy.update(b"only the copy")
    assert copy.hexdigest() == ref_copy.hexdigest()
    assert h.hexdigest() == ref.hexdigest()  # the original did not see it


@given(st.lists(st.binary(max_size=300), max_size=10))
@SETTINGS
def test_incremental_hash_matches_one_shot(chunks):
    h = sha256.new()
    for chunk in chunks:
        h.update(chunk)
    assert h.digest() == sha256.sum256(b"".join(chunks))


def test_hash_constants():
    assert sha256.SIZE == 32 and sha256.SIZE224 == 28 and sha256.BLOCK_SIZE == 64
    assert md5.SIZE == 16 and md5.BLOCK_SIZE == 64


def test_hash_update_refuses_str():
    h = sha256.new()
    with pytest.raises(TypeError) as info:
        h.update("text")
    assert "'data'" in str(info.value)
    with pytest.raises(TypeError):
        md5.sum("text")


def test_hash_metadata_is_read_only_like_hashlib():
    h = sha256.new()
    for attr, value in (("name", "md5"), ("digest_size", 5), ("block_size", 1)):
        with pytest.raises(AttributeError):
            setattr(h, attr, value)
    assert (h.name, h.digest_size, h.block_size) == ("sha256", 32, 64)


# --- encodings ----------------------------------------------------------------


@given(st.binary(max_size=600))
@SETTINGS
def test_base64_matches_the_base64_module(data):
    std = base64.b64encode(data).decode()
    url = base64.urlsafe_b64encode(data).decode()
    assert gb64.standard_encode(data) == std
    assert gb64.url_encode(data) == url
    assert gb64.raw_standard_encode(data) == std.rstrip("=")
    assert gb64.raw_url_encode(data) == url.rstrip("=")
    assert gb64.standard_decode(std) == data
    assert gb64.url_decode(url) == data
    assert gb64.raw_standard_decode(std.rstrip("=")) == data
    assert gb64.raw_url_decode(url.rstrip("=")) == data


# Sizes where the encoders change course: a block is 24 input bytes, input
# is split among threads from 1 MiB, and results of 1 MiB are built in place.
_BASE64_EDGES = [24, 48, 768 * 1024, 1 << 20, 2 << 20, 3 << 20, 4 << 20]


def _b64_cases(data: bytes) -> list[tuple[str, str]]:
    std = binascii.b2a_base64(data, newline=False).decode()
    url = std.replace("+", "-").replace("/", "_")
    return [
        (gb64.standard_encode(data), std),
        (gb64.url_encode(data), url),
        (gb64.raw_standard_encode(data), std.rstrip("=")),
        (gb64.raw_url_encode(data), url.rstrip("=")),
    ]


@given(st.integers(min_value=0, max_value=5 << 20), st.integers(0, 255), st.data())
@settings(max_examples=40, deadline=None)
def test_base64_encoders_match_binascii_at_any_size(size, seed, data):
    edges = [e + d for e in _BASE64_EDGES for d in (-1, 0, 1, 2)]
    size = data.draw(st.sampled_from([size, *edges]))
    buf = bytes((i * 167 + seed + (i >> 9)) & 0xFF for i in range(min(size, 4096)))
    buf = (buf * (size // max(len(buf), 1) + 1))[:size]
    for got, want in _b64_cases(buf):
        assert got == want


@pytest.mark.parametrize("size", [0, 1, 2, 3, 25, 26, 27, 64 << 20, (64 << 20) + 1, (64 << 20) + 2])
def test_base64_big_and_small_inputs_match_binascii(size):
    buf = os.urandom(size)
    for got, want in _b64_cases(buf):
        assert type(got) is str and got == want
    assert gb64.standard_decode(gb64.standard_encode(buf)) == buf


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc/self/status")
def test_base64_rss_stays_flat_over_big_calls():
    def rss_kib() -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    buf = os.urandom(16 << 20)
    for _ in range(3):
        gb64.standard_encode(buf)
    before = rss_kib()
    for _ in range(30):
        assert len(gb64.standard_encode(buf)) == (16 << 20) // 3 * 4 + 4
    grown = rss_kib() - before
    assert grown < 64 * 1024, f"RSS grew by {grown} KiB over 30 calls of 21 MiB results"


@pytest.mark.parametrize(
    ("fn", "bad"),
    [
        (gb64.standard_decode, "!!!!"),
        (gb64.standard_decode, "YQ="),
        (gb64.standard_decode, "Y"),
        (gb64.standard_decode, "YQ==YQ=="),
        (gb64.standard_decode, "ä"),
        (gb64.standard_decode, "_-8="),
        (gb64.url_decode, "+/8="),
        (gb64.raw_standard_decode, "YQ=="),
        (ghex.decode, "zz"),
        (ghex.decode, "abc"),
        (ghex.decode, "0x00"),
        (ghex.decode, "é0"),
    ],
)
def test_bad_encoded_input_is_a_value_error(fn, bad):
    with pytest.raises(ValueError) as info:
        fn(bad)
    assert str(info.value)


def test_decoders_take_str_only():
    for fn in (gb64.standard_decode, ghex.decode):
        with pytest.raises(TypeError) as info:
            fn(b"00")
        assert "'s'" in str(info.value)


@given(st.binary(max_size=600))
@SETTINGS
def test_hex_matches_binascii(data):
    assert ghex.encode(data) == binascii.hexlify(data).decode() == data.hex()
    assert ghex.decode(data.hex()) == data
    assert ghex.decode(data.hex().upper()) == data


def test_hex_dump_format():
    assert ghex.dump(b"abc") == (
        "00000000  61 62 63                                          |abc|\n"
    )
    assert ghex.dump(b"") == ""


# --- math.bits ----------------------------------------------------------------


def _rotl64(x, k):
    k %= 64
    return ((x << k) | (x >> (64 - k))) & MASK64


def _reverse64(x):
    return int(f"{x:064b}"[::-1], 2)


@given(U64, st.integers(min_value=-200, max_value=200))
@SETTINGS
def test_bits_match_a_python_reference(x, k):
    assert bits.ones_count64(x) == bin(x).count("1")
    assert bits.leading_zeros64(x) == 64 - x.bit_length()
    assert bits.len64(x) == x.bit_length()
    assert bits.rotate_left64(x, k) == _rotl64(x, k)
    assert bits.reverse64(x) == _reverse64(x)
    assert bits.reverse_bytes64(x) == int.from_bytes(x.to_bytes(8, "little"), "big")
    assert bits.trailing_zeros64(x) == (64 if x == 0 else (x & -x).bit_length() - 1)


@given(U64, U64)
@SETTINGS
def test_bits_arithmetic(x, y):
    hi, lo = bits.mul64(x, y)
    assert (hi << 64) | lo == x * y
    total, carry = bits.add64(x, y, 1)
    assert (carry << 64) | total == x + y + 1
    diff, borrow = bits.sub64(x, y, 0)
    assert diff == (x - y) & MASK64 and borrow == (1 if x < y else 0)


def test_bits_edges():
    assert bits.ones_count64(0) == 0
    assert bits.leading_zeros64(0) == 64
    assert bits.reverse64(1) == 2**63
    assert bits.rotate_left64(2**63, 1) == 1
    assert bits.rotate_left64(1, -1) == 2**63
    assert bits.ones_count8(255) == 8
    assert bits.UINT_SIZE == 64


@pytest.mark.parametrize(
    "call",
    [
        lambda: bits.ones_count64(-1),
        lambda: bits.leading_zeros64(-(2**70)),
        lambda: bits.rotate_left64(-1, 3),
        lambda: bits.reverse64(-1),
        lambda: bits.reverse64(2**64),
        lambda: bits.mul64(-1, 1),
    ],
)
def test_bits_refuse_negative_and_too_large(call):
    with pytest.raises(OverflowError):
        call()


# --- math ---------------------------------------------------------------------


@given(st.floats(min_value=0, max_value=1e300))
@SETTINGS
def test_math_matches_python(x):
    assert gmath.sqrt(x) == math.sqrt(x)
    assert gmath.floor(x) == math.floor(x)
    mant, exp = gmath.frexp(x)
    assert (mant, exp) == math.frexp(x)


def test_math_constants_and_specials():
    assert math.pi == gmath.PI and math.e == gmath.E
    assert gmath.MAX_INT64 == 2**63 - 1 and gmath.MAX_UINT64 == 2**64 - 1
    assert math.isnan(gmath.nan())
    assert gmath.inf(1) == math.inf and gmath.inf(-1) == -math.inf
    assert math.isnan(gmath.sqrt(-1))
    assert gmath.isnan(float("nan")) is True
    assert gmath.float64bits(1.0) == 0x3FF0000000000000


# --- regexp -------------------------------------------------------------------


def test_regexp_methods():
    rx = regexp.compile(r"a(\d+)")
    assert isinstance(rx, regexp.Regexp)
    assert rx.match_string("xxa12") is True
    assert rx.match_string("xx") is False
    assert rx.find_string("xxa5yy") == "a5"
    assert rx.find_string("none") == ""
    assert rx.find_all_string("a1 a22 a333", -1) == ["a1", "a22", "a333"]
    assert rx.find_all_string("a1 a22 a333", 2) == ["a1", "a22"]
    assert rx.find_all_string("a1 a22 a333", 0) == []
    assert rx.find_all_string("nothing", -1) == []
    assert rx.replace_all_string("a1 b a22", "<$1>") == "<1> b <22>"
    assert rx.replace_all_string("a1", "${1}x") == "1x"
    assert rx.find_string_submatch("za42") == ["a42", "42"]
    assert rx.find_string_index("zza12") == [2, 5]
    assert rx.num_subexp() == 1
    assert str(rx) == r"a(\d+)"
    assert rx.split("xa1ya2z", -1) == ["x", "y", "z"]
    assert rx.match(b"a1") is True


def test_regexp_unicode():
    rx = regexp.compile(r"\p{Greek}+")
    assert rx.find_all_string("abc αβγ def δ", -1) == ["αβγ", "δ"]
    assert regexp.compile("(?i)straße").match_string("STRASSE") is False
    assert regexp.compile("é+").replace_all_string("cafééé!", "e") == "cafe!"


def test_top_level_match_string():
    assert regexp.match_string(r"^\d{3}$", "123") is True
    assert regexp.match_string(r"^\d{3}$", "1234") is False
    assert regexp.quote_meta("a.b*c") == r"a\.b\*c"


@given(st.text(alphabet="ab.*+?()[]|^$\\", max_size=12), ASCII)
@SETTINGS
def test_regexp_literal_patterns_agree_with_re(pattern, s):
    quoted = regexp.quote_meta(pattern)
    assert regexp.match_string(quoted, s) is (pattern in s)
    assert regexp.compile(quoted).find_string(s) == (pattern if pattern in s else "")


@pytest.mark.parametrize(
    ("pattern", "go_message"),
    [
        ("a(b", "error parsing regexp: missing closing ): `a(b`"),
        ("a)b", "error parsing regexp: unexpected ): `a)b`"),
        ("[a", "error parsing regexp: missing closing ]: `[a`"),
        ("*a", "error parsing regexp: missing argument to repetition operator: `*`"),
        (r"(?=a)b", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        (r"\8", "error parsing regexp: invalid escape sequence: `\\8`"),
    ],
)
def test_bad_pattern_is_a_value_error_with_gos_message(pattern, go_message):
    with pytest.raises(ValueError) as info:
        regexp.compile(pattern)
    assert str(info.value) == go_message
    with pytest.raises(ValueError) as info:
        regexp.match_string(pattern, "abc")
    assert str(info.value) == go_message


def test_no_catastrophic_backtracking():
    start = time.monotonic()
    assert regexp.match_string(r"(a+)+$", "a" * 30 + "b") is False
    rx = regexp.compile(r"^(a|aa)+$")
    assert rx.match_string("a" * 5000 + "b") is False
    assert rx.match_string("a" * 5000) is True
    assert time.monotonic() - start < 5
