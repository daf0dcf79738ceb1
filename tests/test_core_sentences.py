"""Sentence by sentence: a disclosure inside a longer message is checked on its own."""

from __future__ import annotations

from faqbot.canonical import load_canon_data
from faqbot.reply import Kind
from faqbot.sentences import MAX_PIECE_CHARS, MAX_PIECES, Splitter

SPLITTER = Splitter(load_canon_data().clause_starts)


def test_the_whole_message_comes_first_then_each_sentence_and_clause():
    text = "is there homework? my husband gets violent when he drinks and i'm scared to go home"
    pieces = SPLITTER.pieces(text)
    assert pieces[0] == text
    assert "is there homework" in pieces
    assert "my husband gets violent when he drinks" in pieces
    assert "and i'm scared to go home" in pieces


def test_a_clause_after_a_comma_is_a_piece_of_its_own():
    text = "we stopped touching after the baby, some nights i think everyone would be better off"
    pieces = SPLITTER.pieces(text)
    assert "some nights i think everyone would be better off" in pieces
    assert "we stopped touching after the baby" in pieces


def test_short_runs_between_commas_stay_together():
    text = "honestly, i dont know, maybe, we just drifted apart over the years"
    pieces = SPLITTER.pieces(text)
    assert all(len(piece.split()) >= 6 for piece in pieces)


def test_a_one_sentence_message_is_one_piece():
    assert SPLITTER.pieces("do you see couples") == ["do you see couples"]


def test_long_input_is_cut_into_a_bounded_number_of_bounded_pieces():
    text = "we argue about chores. " * 5000 + "x" * 50_000 + " i want to die"
    pieces = SPLITTER.pieces(text)
    assert len(pieces) <= MAX_PIECES
    assert all(len(piece) <= MAX_PIECE_CHARS for piece in pieces)


def test_the_end_of_a_long_message_is_among_the_pieces():
    text = ". ".join(f"sentence number {n}" for n in range(40)) + ". i want to die"
    assert SPLITTER.pieces(text)[-1] == "i want to die"


def test_a_disclosure_inside_an_faq_question_gets_the_crisis_reply(bot):
    message = "is there homework? my husband gets violent when he drinks and I'm scared to go home"
    reply = bot.reply(message)
    assert reply.kind is Kind.CRISIS
    assert reply.id is None
