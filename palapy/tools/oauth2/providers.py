"""The built-in OAuth2 providers of PocketBase 0.40.6, as data.

Each entry holds what a provider needs before any client configuration: its registry name
(what `oauth2.providers[].name` must be), the name shown in the UI, the default endpoint URLs,
whether the PKCE flow is used by default, the scopes requested by default and the sort order
of the lists (`GET /api/collections/meta/oauth2-providers`, `auth-methods`).

A collection's provider config may override the URLs, the display name and the PKCE flag;
providers without default URLs (`oidc*`, `mailcow`) are usable only once those are set.
The names, display names, order and defaults were read off the real 0.40.6 binary and
PocketBase's provider definitions; a differential test keeps them in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from palapy.tools.oauth2.logos import provider_logo

__all__ = [
    "OAuth2Provider",
    "PROVIDERS",
    "provider_names",
    "get_provider",
    "sorted_providers",
    "list_items",
]


@dataclass(frozen=True, slots=True)
class OAuth2Provider:
    """One built-in provider and its defaults."""

    name: str
    display_name: str
    order: int
    pkce: bool
    scopes: tuple[str, ...] = ()
    auth_url: str = ""
    token_url: str = ""
    user_info_url: str = ""
    # Extra query parameters PocketBase always adds to the authorization URL (Apple's form_post).
    auth_url_params: tuple[tuple[str, str], ...] = ()
    # Where the provider publishes the keys that sign its id_token (Apple only).
    jwks_url: str = ""
    logo: str = field(default="", compare=False)

    def list_item(self) -> dict[str, str]:
        """The provider as `GET /api/collections/meta/oauth2-providers` shows it."""
        return {"name": self.name, "displayName": self.display_name, "logo": self.logo}


def _p(
    name: str,
    display_name: str,
    order: int,
    pkce: bool,
    *,
    scopes: tuple[str, ...] = (),
    auth_url: str = "",
    token_url: str = "",
    user_info_url: str = "",
    auth_url_params: tuple[tuple[str, str], ...] = (),
    jwks_url: str = "",
) -> OAuth2Provider:
    """A provider entry with its generated neutral logo (see `logos.provider_logo`)."""
    return OAuth2Provider(
        name=name,
        display_name=display_name,
        order=order,
        pkce=pkce,
        scopes=scopes,
        auth_url=auth_url,
        token_url=token_url,
        user_info_url=user_info_url,
        auth_url_params=auth_url_params,
        jwks_url=jwks_url,
        logo=provider_logo(name, display_name),
    )


_OIDC_SCOPES = ("openid", "email", "profile")

_ALL: tuple[OAuth2Provider, ...] = (
    _p(
        "apple", "Apple", 1, True,
        scopes=("name", "email"),
        auth_url="https://appleid.apple.com/auth/authorize",
        token_url="https://appleid.apple.com/auth/token",
        auth_url_params=(("response_mode", "form_post"),),
        jwks_url="https://appleid.apple.com/auth/keys",
    ),
    _p(
        "google", "Google", 2, True,
        scopes=(
            "https://www.googleapis.com/auth/userinfo.profile",
            "https://www.googleapis.com/auth/userinfo.email",
        ),
        auth_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        user_info_url="https://www.googleapis.com/oauth2/v3/userinfo",
    ),
    _p(
        "microsoft", "Microsoft", 3, True,
        scopes=("User.Read",),
        auth_url="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        token_url="https://login.microsoftonline.com/common/oauth2/v2.0/token",
        user_info_url="https://graph.microsoft.com/v1.0/me",
    ),
    _p(
        "yandex", "Yandex", 4, True,
        scopes=("login:email", "login:avatar", "login:info"),
        auth_url="https://oauth.yandex.com/authorize",
        token_url="https://oauth.yandex.com/token",
        user_info_url="https://login.yandex.ru/info",
    ),
    _p(
        "facebook", "Facebook", 5, True,
        scopes=("email",),
        auth_url="https://www.facebook.com/v3.2/dialog/oauth",
        token_url="https://graph.facebook.com/v3.2/oauth/access_token",
        user_info_url="https://graph.facebook.com/me?fields=name,email,picture.type(large)",
    ),
    _p(
        # "2": the first Instagram provider (Basic Display API) was retired under the plain name.
        "instagram2", "Instagram", 6, True,
        scopes=("instagram_business_basic",),
        auth_url="https://www.instagram.com/oauth/authorize",
        token_url="https://api.instagram.com/oauth/access_token",
        user_info_url="https://graph.instagram.com/me?fields=id,username,account_type,user_id,name,"
        "profile_picture_url,followers_count,follows_count,media_count",
    ),
    _p(
        "github", "GitHub", 7, True,
        scopes=("read:user", "user:email"),
        auth_url="https://github.com/login/oauth/authorize",
        token_url="https://github.com/login/oauth/access_token",
        user_info_url="https://api.github.com/user",
    ),
    _p(
        "gitlab", "GitLab", 8, True,
        scopes=("read_user",),
        auth_url="https://gitlab.com/oauth/authorize",
        token_url="https://gitlab.com/oauth/token",
        user_info_url="https://gitlab.com/api/v4/user",
    ),
    _p(
        "bitbucket", "Bitbucket", 9, False,
        scopes=("account",),
        auth_url="https://bitbucket.org/site/oauth2/authorize",
        token_url="https://bitbucket.org/site/oauth2/access_token",
        user_info_url="https://api.bitbucket.org/2.0/user",
    ),
    _p(
        "gitee", "Gitee", 10, True,
        scopes=("user_info", "emails"),
        auth_url="https://gitee.com/oauth/authorize",
        token_url="https://gitee.com/oauth/token",
        user_info_url="https://gitee.com/api/v5/user",
    ),
    _p(
        "gitea", "Gitea/Forgejo", 11, True,
        scopes=("read:user", "user:email"),
        auth_url="https://gitea.com/login/oauth/authorize",
        token_url="https://gitea.com/login/oauth/access_token",
        user_info_url="https://gitea.com/api/v1/user",
    ),
    _p(
        "discord", "Discord", 12, True,
        scopes=("identify", "email"),
        auth_url="https://discord.com/api/oauth2/authorize",
        token_url="https://discord.com/api/oauth2/token",
        user_info_url="https://discord.com/api/users/@me",
    ),
    _p(
        "twitter", "X/Twitter", 13, True,
        scopes=("users.read", "users.email", "tweet.read"),
        auth_url="https://x.com/i/oauth2/authorize",
        token_url="https://api.x.com/2/oauth2/token",
        user_info_url="https://api.x.com/2/users/me?user.fields=id,name,username,profile_image_url,confirmed_email",
    ),
    _p(
        "kakao", "Kakao", 14, True,
        scopes=("account_email", "profile_nickname", "profile_image"),
        auth_url="https://kauth.kakao.com/oauth/authorize",
        token_url="https://kauth.kakao.com/oauth/token",
        user_info_url="https://kapi.kakao.com/v2/user/me",
    ),
    _p(
        # VK rejects PKCE parameters.
        "vk", "ВКонтакте", 15, False,
        scopes=("email",),
        auth_url="https://oauth.vk.com/authorize",
        token_url="https://oauth.vk.com/access_token",
        user_info_url="https://api.vk.com/method/users.get?fields=photo_max,screen_name&v=5.131",
    ),
    _p(
        # Linear rejects PKCE parameters.
        "linear", "Linear", 16, False,
        scopes=("read",),
        auth_url="https://linear.app/oauth/authorize",
        token_url="https://api.linear.app/oauth/token",
        user_info_url="https://api.linear.app/graphql",
    ),
    _p(
        "notion", "Notion", 17, True,
        auth_url="https://api.notion.com/v1/oauth/authorize",
        token_url="https://api.notion.com/v1/oauth/token",
        user_info_url="https://api.notion.com/v1/users/me",
    ),
    _p(
        "monday", "monday.com", 18, True,
        scopes=("me:read",),
        auth_url="https://auth.monday.com/oauth2/authorize",
        token_url="https://auth.monday.com/oauth2/token",
        user_info_url="https://api.monday.com/v2",
    ),
    _p(
        # Defaults to the feishu.cn domain; larksuite.com serves the same API outside China.
        "lark", "Lark", 19, True,
        auth_url="https://accounts.feishu.cn/open-apis/authen/v1/authorize",
        token_url="https://open.feishu.cn/open-apis/authen/v2/oauth/token",
        user_info_url="https://open.feishu.cn/open-apis/authen/v1/user_info",
    ),
    _p(
        "box", "Box", 20, True,
        scopes=("root_readonly",),
        auth_url="https://account.box.com/api/oauth2/authorize",
        token_url="https://api.box.com/oauth2/token",
        user_info_url="https://api.box.com/2.0/users/me",
    ),
    _p(
        "spotify", "Spotify", 21, True,
        scopes=("user-read-private",),
        auth_url="https://accounts.spotify.com/authorize",
        token_url="https://accounts.spotify.com/api/token",
        user_info_url="https://api.spotify.com/v1/me",
    ),
    _p(
        "trakt", "Trakt", 22, True,
        auth_url="https://trakt.tv/oauth/authorize",
        token_url="https://api.trakt.tv/oauth/token",
        user_info_url="https://api.trakt.tv/users/settings",
    ),
    _p(
        "twitch", "Twitch", 23, True,
        scopes=("user:read:email",),
        auth_url="https://id.twitch.tv/oauth2/authorize",
        token_url="https://id.twitch.tv/oauth2/token",
        user_info_url="https://api.twitch.tv/helix/users",
    ),
    _p(
        "patreon", "Patreon", 24, True,
        scopes=("identity", "identity[email]"),
        auth_url="https://www.patreon.com/oauth2/authorize",
        token_url="https://www.patreon.com/api/oauth2/token",
        user_info_url="https://www.patreon.com/api/oauth2/v2/identity"
        "?fields%5Buser%5D=full_name,email,vanity,image_url,is_email_verified",
    ),
    _p(
        "strava", "Strava", 25, True,
        scopes=("profile:read_all",),
        auth_url="https://www.strava.com/oauth/authorize",
        token_url="https://www.strava.com/api/v3/oauth/token",
        user_info_url="https://www.strava.com/api/v3/athlete",
    ),
    _p(
        "wakatime", "WakaTime", 26, True,
        scopes=("email",),
        auth_url="https://wakatime.com/oauth/authorize",
        token_url="https://wakatime.com/oauth/token",
        user_info_url="https://wakatime.com/api/v1/users/current",
    ),
    _p(
        # Scopes are chosen in the LiveChat developer console, not requested.
        "livechat", "LiveChat", 27, True,
        auth_url="https://accounts.livechat.com/",
        token_url="https://accounts.livechat.com/token",
        user_info_url="https://accounts.livechat.com/v2/accounts/me",
    ),
    # Self-hosted: the URLs come from the collection's provider config.
    _p("mailcow", "mailcow", 28, True, scopes=("profile",)),
    _p(
        "planningcenter", "Planning Center", 29, True,
        scopes=("people",),
        auth_url="https://api.planningcenteronline.com/oauth/authorize",
        token_url="https://api.planningcenteronline.com/oauth/token",
        user_info_url="https://api.planningcenteronline.com/people/v2/me",
    ),
    # Three generic OpenID Connect slots, so a collection can use up to three OIDC issuers.
    _p("oidc", "OIDC", 99, True, scopes=_OIDC_SCOPES),
    _p("oidc2", "OIDC", 99, True, scopes=_OIDC_SCOPES),
    _p("oidc3", "OIDC", 99, True, scopes=_OIDC_SCOPES),
)  # fmt: skip

PROVIDERS: Mapping[str, OAuth2Provider] = MappingProxyType({p.name: p for p in _ALL})
"""Every built-in provider by its registry name."""

_NAMES = frozenset(PROVIDERS)
_SORTED = tuple(sorted(_ALL, key=lambda p: (p.order, p.name)))


def provider_names() -> frozenset[str]:
    """The names `oauth2.providers[].name` accepts."""
    return _NAMES


def get_provider(name: str) -> OAuth2Provider | None:
    """The built-in provider called `name`, or None."""
    return PROVIDERS.get(name)


def sorted_providers() -> tuple[OAuth2Provider, ...]:
    """All providers in PocketBase's list order: by `order`, then by name."""
    return _SORTED


def list_items() -> list[dict[str, str]]:
    """The body of `GET /api/collections/meta/oauth2-providers`."""
    return [p.list_item() for p in _SORTED]
