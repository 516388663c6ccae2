"""Weighted words of a measure's text: jieba segmentation, jieba's IDF table, this genre's empty words.

Two texts are compared as TF-IDF vectors (cosine). A word's weight is jieba's corpus IDF times a factor
for how rare it is among the texts being compared (the items of the reports at hand), so words that
every measure of these reports uses (推进, 法治, 工作 …) count for little even when the general corpus
finds them rare.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

# Words that say how hard or how generally, not what: they carry no subject matter in this genre.
_GENERIC = """
    进一步 持续 深化 深入 加强 加快 推进 推动 提升 提高 强化 完善 健全 建立 建立健全 完善健全 优化 全面 积极
    不断 落实 贯彻 贯彻落实 工作 建设 机制 体系 水平 质效 能力 法治 依法 开展 实现 严格 规范 打造 构建 探索
    实施 以及 相关 各类 各项 有效 全市 全区 全县 全省 我市 我区 我县 我局 市 区 县 镇 做好 抓好 着力 聚焦 围绕
    坚持 发挥 作用 重点 工作机制 能动 力度 加大 问题 不足 不够 还需 存在 方面 一是 二是 三是 四是 五是 六是
    等 的 和 与 及 为 在 了 是 并 对 将 把 向 从 以 中 上 下 年 年度 新 共 其中 均 已 累计 同比 上升 下降 万余
    件 人 人次 次 个 家 项 名 条 期 场 余 多 约
"""
GENERIC_WORDS = frozenset(_GENERIC.split())
_TOKEN = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)  # it logs the dictionary load at INFO
    return jieba, jieba.analyse.default_tfidf


def tokens(text: str) -> list[str]:
    """Content words of ``text`` in order: segmented, punctuation, digits and generic words removed."""
    return list(_tokens(text))


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    jieba, _ = _jieba()
    # Dictionary words only (no HMM guesses at unknown words): faster, and the same words every run.
    words = jieba.lcut_for_search(text, HMM=False)
    return tuple(w for w in words if _TOKEN.search(w) and w not in GENERIC_WORDS and len(w) > 1)


def corpus_idf(word: str) -> float:
    """jieba's IDF of ``word`` (its median for words the table lacks)."""
    _, tfidf = _jieba()
    return tfidf.idf_freq.get(word, tfidf.median_idf)


class Weigher:
    """TF-IDF vectors over one set of texts (the local rarity factor is computed from that set)."""

    def __init__(self, texts: Iterable[list[str]]) -> None:
        docs = [set(t) for t in texts]
        self.n = max(len(docs), 1)
        self.df: Counter[str] = Counter(w for d in docs for w in d)

    def weight(self, word: str) -> float:
        local = math.log(1 + self.n / (1 + self.df.get(word, 0)))
        return corpus_idf(word) * local

    def vector(self, words: list[str]) -> dict[str, float]:
        tf = Counter(words)
        return {w: (1 + math.log(c)) * self.weight(w) for w, c in tf.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two sparse vectors (0 when either is empty)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def coverage(short: dict[str, float], long: dict[str, float]) -> float:
    """The share of ``short``'s weight found in ``long``: how much of a heading a text repeats."""
    total = sum(short.values())
    if not total:
        return 0.0
    return sum(v for w, v in short.items() if w in long) / total
