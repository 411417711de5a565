"""Keep a conversation in the database: each user turn and reply, with intent, citations and matches."""

from __future__ import annotations

from assistant.dialogue.manager import TurnResult
from assistant.settings import Settings
from assistant.storage import repo
from assistant.storage.db import migrate, session_scope


class ConversationLog:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        migrate(settings)
        with session_scope(settings) as session:
            self.conversation_id = repo.start_conversation(session).id

    def record(self, user_text: str, result: TurnResult) -> None:
        with session_scope(self.settings) as session:
            repo.add_message(session, self.conversation_id, "user", user_text, intent=result.intent, data={"slots": result.slots})
            repo.add_message(
                session, self.conversation_id, "assistant", result.reply, intent=result.intent,
                data={"citations": [c.model_dump() for c in result.citations], "matches": result.matches, "profile": result.profile},
            )
