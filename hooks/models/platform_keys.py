"""The keys Platform.sh and Upsun document for an app, with their type and where each belongs.

Source, read 2026-11-29: the app reference of the platform's documentation
(`create-apps/app-reference/single-runtime-image.md` and `composable-image.md` of both sites,
platformsh/platformsh-docs; its table of "Primary application properties" and the `web`,
`hooks`, `build`, `source` sections), the Platform.sh application schema the Upsun CLI's
offline linter validates with (`internal/lint/schema/platformsh.application.json`), and
`spec/platform-config.md` §2. A key documented for either product is accepted in every config
form (`.platform.app.yaml`, `.platform/applications.yaml`, `.upsun/*.yaml`): only what neither
documents is unknown. Runtime-specific settings (`runtime:`, `build.flavor: composer`) are
accepted for every runtime.

Types are named as the documentation names them: `string`, `integer`, `boolean`, `mapping`,
`list`; a key whose type is `ANY` takes what the platform takes and is not type-checked.
"""

from __future__ import annotations

from typing import Any

READ_ON = "2026-11-29"
STRING, INTEGER, BOOLEAN, MAPPING, LIST = "string", "integer", "boolean", "mapping", "list"
ANY: tuple[str, ...] = ()

# Keys a web or worker instance may also set (documented "Set in instance? Yes").
_INSTANCE: dict[str, tuple[str, ...]] = {
    "relationships": (MAPPING,),
    "mounts": (MAPPING,),
    "access": (MAPPING,),
    "variables": (MAPPING,),
    "firewall": (MAPPING,),
    "additional_hosts": (MAPPING,),
    "operations": (MAPPING,),
    "timezone": (STRING,),
    "disk": (INTEGER,),
    "size": (STRING,),
    "resources": (MAPPING,),
    "container_profile": (STRING,),
}

# Directly under the app.
APP: dict[str, tuple[str, ...]] = {
    "name": (STRING,),
    "type": (STRING,),
    "stack": (LIST, MAPPING, STRING),  # composable: a list, `runtimes`/`packages`, or one runtime
    **_INSTANCE,
    "web": (MAPPING,),
    "workers": (MAPPING,),
    "build": (MAPPING,),
    "dependencies": (MAPPING,),
    "hooks": (MAPPING,),
    "crons": (MAPPING,),
    "source": (MAPPING,),
    "runtime": (MAPPING,),
    "preflight": (MAPPING,),
    "tasks": ANY,
}

# Inside the app's blocks, by their path.
BLOCKS: dict[str, dict[str, tuple[str, ...]]] = {
    "hooks": {"build": (STRING,), "deploy": (STRING,), "post_deploy": (STRING,)},
    "build": {"flavor": (STRING,), "caches": (MAPPING,)},
    "source": {"root": (STRING,), "operations": (MAPPING,)},
    "web": {
        "commands": (MAPPING,),
        "upstream": (MAPPING,),
        "locations": (MAPPING,),
        **_INSTANCE,
        # Older `web` settings the schema still accepts.
        "document_root": (STRING,),
        "passthru": (STRING,),
        "index_files": (LIST,),
        "whitelist": (LIST,),
        "blacklist": (LIST,),
        "expires": (INTEGER, STRING),
        "move_to_root": (BOOLEAN,),
        "authorizations": (LIST,),
    },
    "web.commands": {"start": (STRING,), "pre_start": (STRING,), "post_start": (STRING,)},
    # `*`: every entry of the mapping (each worker, each cron).
    "workers.*": {"commands": (MAPPING,), "type": (STRING,), **_INSTANCE, "authorizations": (LIST,)},
    "workers.*.commands": {"start": (STRING,), "pre_start": (STRING,)},
    "crons.*": {"spec": (STRING,), "commands": (MAPPING,), "cmd": (STRING,), "shutdown_timeout": (INTEGER,), "timeout": ANY},
    "crons.*.commands": {"start": (STRING,), "stop": (STRING,)},
}

# Where a key that is not documented at the place it is written belongs.
HOME: dict[str, str] = {
    "build": "hooks",  # a build script; `build:` as a mapping is an app key
    "deploy": "hooks",
    "post_deploy": "hooks",
    "start": "web.commands",
    "pre_start": "web.commands",
    "post_start": "web.commands",
    "commands": "web",
    "upstream": "web",
    "locations": "web",
    "document_root": "web",
    "flavor": "build",
    "caches": "build",
    "root": "source",
    "python3": "dependencies",
    "python2": "dependencies",
    "env": "variables",
}


def type_of(value: Any) -> str | None:
    """The documented type `value` has as loaded (None for a null value)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, str):
        return STRING
    if isinstance(value, dict):
        return MAPPING
    if isinstance(value, list):
        return LIST
    return type(value).__name__
