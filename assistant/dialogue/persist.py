"""Conversations kept in the database: each user turn and reply (intent, citations, matches) and the dialogue
state, so that any API worker can take the next turn. Two turns on one conversation at once never lose each
other: the state row carries a version and a turn that lost the race is replayed on the fresh state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import update

from assistant.answer.pipeline import ask
from assistant.answer.types import Answer
from assistant.dialogue.manager import DialogueManager, Session, TurnResult
from assistant.errors import AssistantError
from assistant.privacy import mask
from assistant.settings import Settings
from assistant.storage import repo
from assistant.storage.db import migrate, session_scope
from assistant.storage.models import Conversation

RETRIES = 5


@dataclass
class Turn:
    result: TurnResult
    user_message_id: int
    reply_message_id: int


def consult(settings: Settings, question: str, history: list[str] | None = None, include_expired: bool | None = None, *,
            owner: tuple[str | None, int | None] = (None, None)) -> Answer:
    """One cited answer, kept (statistics, the unanswered list) as a one-question conversation of ``owner``: what
    ``POST /ask`` and the MCP tool ``ask`` both do."""
    answer = ask(question, settings, history=[h for h in history or [] if h.strip()] or None, include_expired=include_expired)
    record(settings, None, question,
           TurnResult(reply=answer.answer, intent="policy_question", profile={}, citations=answer.citations, refused=answer.refused),
           owner=owner)
    return answer


def _people(result: TurnResult) -> tuple[str, ...]:
    """The persons the turn named (read by the slot extractor), to be masked where the question is kept."""
    return tuple(str(result.slots[k]) for k in ("legal_rep", "contact_person") if result.slots.get(k))


def record(settings: Settings, conversation_id: str | None, user_text: str, result: TurnResult, state: dict | None = None,
           expected_version: int | None = None, *, owner: tuple[str | None, int | None] = (None, None)) -> Turn | None:
    """Store one turn; with ``expected_version`` also the new state, or return None when someone else moved on.
    Without a conversation id, a one-question conversation of ``owner`` (enterprise id, user id) is started in the
    same transaction."""
    with session_scope(settings) as session:
        if conversation_id is None:
            conversation_id = repo.start_conversation(session, enterprise_id=owner[0], user_id=owner[1]).id
        if expected_version is not None:
            moved = session.execute(
                update(Conversation).where(Conversation.id == conversation_id, Conversation.version == expected_version)
                .values(state=state, version=Conversation.version + 1)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                return None
        asked = repo.add_message(session, conversation_id, "user", user_text, intent=result.intent, data={"slots": result.slots})
        reply = repo.add_message(
            session, conversation_id, "assistant", result.reply, intent=result.intent,
            data={"citations": [c.model_dump() for c in result.citations], "matches": result.matches, "profile": result.profile,
                  "refused": result.refused, "question": mask(user_text, _people(result)), "application": result.application},  # question: for statistics, masked
        )
        return Turn(result=result, user_message_id=asked.id, reply_message_id=reply.id)


def take_turn(settings: Settings, conversation_id: str, text: str, act: Callable[[TurnResult, Session], None] | None = None) -> Turn:
    """One user turn on a stored conversation: load its state, answer, save state and messages together. ``act``
    carries out what the dialogue decided but cannot do itself (drafting an application) before the turn is stored."""
    for _ in range(RETRIES):
        with session_scope(settings) as session:
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                raise repo.NotFound(f"没有编号为 {conversation_id} 的会话")
            state, version = conv.state, conv.version
        manager = DialogueManager(settings, Session.from_state(state))
        result = manager.turn(text)
        if act is not None:
            act(result, manager.session)
        turn = record(settings, conversation_id, text, result, manager.session.to_state(), version)
        if turn is not None:
            return turn
    raise AssistantError("该会话正被同时修改，请稍后重试")


class ConversationLog:
    """The CLI's chat: one conversation per `assistant chat` run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        migrate(settings)
        with session_scope(settings) as session:
            self.conversation_id = repo.start_conversation(session).id

    def record(self, user_text: str, result: TurnResult) -> None:
        record(self.settings, self.conversation_id, user_text, result)
