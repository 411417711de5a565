"""Users with roles, argon2 password hashes and opaque bearer tokens.

Tokens are random strings handed out once; only their sha256 is stored, so a leaked database holds no usable
token, and any API worker (or node) can check a token against the shared database. The same token works as an
OpenAI ``api_key``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assistant.errors import AssistantError
from assistant.products.schema import INSTITUTIONS
from assistant.storage.models import ApiToken, Enterprise, User

ROLES = ("enterprise", "staff", "policy_admin", "bank")
ROLE_LABELS = {"enterprise": "企业用户", "staff": "服务中心工作人员", "policy_admin": "政策管理员", "bank": "合作银行"}
MIN_PASSWORD = 8
_hasher = PasswordHasher()
# Verifying against a dummy hash when the user is unknown keeps response times from revealing which names exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AuthError(AssistantError):
    pass


@dataclass(frozen=True)
class Principal:
    """Who is calling: what routes need to decide access."""

    user_id: int
    username: str
    role: str
    enterprise_id: str | None
    institution: str | None = None  # a bank account's bank

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.username}"


def _principal(user: User) -> Principal:
    return Principal(user_id=user.id, username=user.username, role=user.role, enterprise_id=user.enterprise_id, institution=user.institution)


def create_user(session: Session, username: str, password: str, role: str, enterprise: str | None = None, *, demo: bool = False,
                institution: str | None = None) -> User:
    username = username.strip()
    if role not in ROLES:
        raise AuthError(f"角色“{role}”无效，可选：{'、'.join(ROLES)}")
    if not username or len(username) > 80:
        raise AuthError("用户名不能为空，且不超过 80 个字符")
    if len(password) < MIN_PASSWORD and not demo:
        raise AuthError(f"密码至少 {MIN_PASSWORD} 位")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AuthError(f"用户名“{username}”已存在")
    enterprise_id = None
    if role == "enterprise":
        if not enterprise:
            raise AuthError("企业用户必须用 --enterprise 指定所属企业名称")
        firm = session.scalar(select(Enterprise).where(Enterprise.name == enterprise.strip()))
        if firm is None:
            firm = Enterprise(name=enterprise.strip())
            session.add(firm)
            session.flush()
        enterprise_id = firm.id
    bank = None
    if role == "bank":
        bank = (institution or "").strip()
        if bank not in INSTITUTIONS:
            raise AuthError(f"银行账号必须用 --institution 指定所属银行，可选：{'、'.join(INSTITUTIONS)}")
    elif institution:
        raise AuthError("只有银行账号（--role bank）可以指定 --institution")
    user = User(username=username, password_hash=_hasher.hash(password), role=role, enterprise_id=enterprise_id, demo=demo,
                institution=bank)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, *, allow_demo: bool) -> Principal:
    user = session.scalar(select(User).where(User.username == username.strip()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise AuthError("用户名或密码错误") from None
    if user is None:
        raise AuthError("用户名或密码错误")
    if not user.active:
        raise AuthError("该账号已停用，请联系服务中心")
    if user.demo and not allow_demo:
        raise AuthError("演示账号只能在开发模式下使用")
    return _principal(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user_id: int, hours: float) -> str:
    token = "qca_" + secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    session.add(ApiToken(token_hash=_digest(token), user_id=user_id, created_at=now, expires_at=now + dt.timedelta(hours=hours)))
    # Expired tokens are cleared as new ones are issued, so the table stays small without a cron job.
    session.execute(delete(ApiToken).where(ApiToken.expires_at < now))
    return token


def principal_for_token(session: Session, token: str, *, allow_demo: bool) -> Principal | None:
    row = session.get(ApiToken, _digest(token))
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)  # SQLite drops the zone
    if expires < dt.datetime.now(dt.UTC):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or (user.demo and not allow_demo):
        return None
    return _principal(user)


def revoke_token(session: Session, token: str) -> bool:
    """Sign one token out (the others of the same user keep working)."""
    result = session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _named(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise AuthError(f"没有用户“{username}”")
    return user


def issue_token_for(session: Session, username: str, hours: float) -> str:
    """A token for a named, active account (a client's long-lived token, issued by an administrator)."""
    user = _named(session, username)
    if not user.active:
        raise AuthError(f"账号“{username}”已停用")
    return issue_token(session, user.id, hours)


def revoke_tokens(session: Session, username: str) -> int:
    user = _named(session, username)
    result = session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


DEMO_ACCOUNTS = (
    ("demo-enterprise", "demo", "enterprise", "西咸新区示例智能科技有限公司（示例）"),
    ("demo-staff", "demo", "staff", None),
    ("demo-admin", "demo", "policy_admin", None),
    ("demo-bank", "demo", "bank", "长安银行"),
)


def seed_demo(session: Session) -> list[str]:
    """Demo accounts for a local trial; they are refused at login outside development mode."""
    made = []
    for username, password, role, whose in DEMO_ACCOUNTS:
        if session.scalar(select(User).where(User.username == username)) is None:
            if role == "bank":
                create_user(session, username, password, role, demo=True, institution=whose)
            else:
                create_user(session, username, password, role, whose, demo=True)
            made.append(username)
    return made
