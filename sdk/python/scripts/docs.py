"""Build the Python SDK's API reference (HTML, pdoc) with the proto comments.

protoc's Python generator drops the comments of proto/, so before pdoc
renders the modules this script copies them from a descriptor set with
source info (``buf build``) onto the generated code: each message class
gets its comment and a table of its fields, each ``*_pb2`` module a section
per enum with its values, and each generated service client its service's
comment (its methods already carry their RPC's).

Usage: python docs.py IMAGE OUT_DIR   (sdk/python/scripts/docs runs it)
"""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import pdoc
from google.protobuf import descriptor_pb2 as d

# Field numbers in descriptor.proto, the steps of a source-info path.
FILE_MESSAGE, FILE_ENUM, FILE_SERVICE = 4, 5, 6
MESSAGE_FIELD, MESSAGE_NESTED, MESSAGE_ENUM = 2, 3, 4
ENUM_VALUE = 2

SCALARS = {
    v: k.removeprefix("TYPE_").lower()
    for k, v in d.FieldDescriptorProto.Type.items()
    if k not in ("TYPE_MESSAGE", "TYPE_ENUM", "TYPE_GROUP")
}


def comment(comments: dict[tuple[int, ...], str], path: tuple[int, ...]) -> str:
    """The leading comment at path, cleaned up, or an empty string."""
    return " ".join(comments.get(path, "").split())


def cell(text: str) -> str:
    """Text fit for a Markdown table cell."""
    return text.replace("|", "\\|") or " "


def field_type(f: d.FieldDescriptorProto) -> str:
    name = f.type_name.lstrip(".") if f.type_name else SCALARS.get(f.type, "?")
    return f"repeated {name}" if f.label == d.FieldDescriptorProto.LABEL_REPEATED else name


def message_doc(msg: d.DescriptorProto, path: tuple[int, ...], comments: dict[tuple[int, ...], str]) -> str:
    lines = [comment(comments, path), ""]
    if msg.field:
        lines += ["| Field | Type | Description |", "| --- | --- | --- |"]
        for i, f in enumerate(msg.field):
            text = comment(comments, (*path, MESSAGE_FIELD, i))
            if f.HasField("oneof_index") and not f.proto3_optional:
                text += f" (one of `{msg.oneof_decl[f.oneof_index].name}`)"
            lines.append(f"| `{f.name}` | `{field_type(f)}` | {cell(text.strip())} |")
    return "\n".join(lines)


def enum_doc(enum: d.EnumDescriptorProto, path: tuple[int, ...], comments: dict[tuple[int, ...], str]) -> str:
    lines = [f"## Enum `{enum.name}`", "", comment(comments, path), "", "| Value | Number | Description |",
             "| --- | --- | --- |"]
    for i, v in enumerate(enum.value):
        lines.append(f"| `{v.name}` | {v.number} | {cell(comment(comments, (*path, ENUM_VALUE, i)))} |")
    return "\n".join(lines)


def document_file(f: d.FileDescriptorProto) -> None:
    comments = {tuple(loc.path): loc.leading_comments for loc in f.source_code_info.location}
    module_name = f.name.removesuffix(".proto").replace("/", ".")
    pb2 = importlib.import_module(module_name + "_pb2")
    sections = [f"Messages and enums of `{f.package}`, generated from `proto/{f.name}`."]

    def messages(msgs: list[d.DescriptorProto], path: tuple[int, ...], owner: object) -> None:
        for i, m in enumerate(msgs):
            cls = getattr(owner, m.name)
            mpath = (*path, i)
            cls.__doc__ = message_doc(m, mpath, comments)
            messages(list(m.nested_type), (*mpath, MESSAGE_NESTED), cls)
            for j, e in enumerate(m.enum_type):
                sections.append(enum_doc(e, (*mpath, MESSAGE_ENUM, j), comments))

    messages(list(f.message_type), (FILE_MESSAGE,), pb2)
    sections += [enum_doc(e, (FILE_ENUM, i), comments) for i, e in enumerate(f.enum_type)]
    pb2.__doc__ = "\n\n".join(sections)

    if f.service:
        connect = importlib.import_module(module_name + "_connect")
        names = ", ".join(f"`{s.name}`" for s in f.service)
        connect.__doc__ = f"Connect clients and server bases of {names}, generated from `proto/{f.name}`."
        for i, s in enumerate(f.service):
            text = comment(comments, (FILE_SERVICE, i))
            for suffix in ("Client", "ClientSync", "", "Sync", "ASGIApplication", "WSGIApplication"):
                if (cls := getattr(connect, s.name + suffix, None)) is not None:
                    cls.__doc__ = text


def main(image: str, out: str) -> None:
    fds = d.FileDescriptorSet.FromString(Path(image).read_bytes())
    for f in fds.file:
        if f.name.startswith("switchboard/"):
            document_file(f)
    # The .pyi stubs protoc writes are not importable (enum metaclasses), so
    # pdoc cannot take types from them; the docstrings above carry them.
    warnings.filterwarnings("ignore", module=r"pdoc\.doc_(pyi|types)")
    pdoc.render.configure(docformat="google", footer_text="Switchboard SDK")
    # switchboard.switch is the switch's internal API, not part of the SDK.
    pdoc.pdoc("switchboard_sdk", "switchboard", "!switchboard.switch", output_directory=Path(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
