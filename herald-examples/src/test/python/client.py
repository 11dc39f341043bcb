"""Drives Debian's python3-socketio client for Herald's Java interop tests.

    /usr/bin/python3 client.py '{"url":"http://127.0.0.1:PORT","namespaces":["/"],"auth":{...},"transports":["websocket"]}'

The same JSON-lines protocol as ../node/client.js: commands on stdin, events on stdout, binary
values as {"$bin": "<base64>"}.
"""
import base64
import json
import sys
import threading

import socketio

config = json.loads(sys.argv[1])
namespaces = config.get("namespaces", ["/"])
ack_replies = config.get("ackReplies", {})
out_lock = threading.Lock()


def out(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def to_wire(value):
    if isinstance(value, dict):
        if "$bin" in value:
            return base64.b64decode(value["$bin"])
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def from_wire(value):
    if isinstance(value, (bytes, bytearray)):
        return {"$bin": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: from_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [from_wire(v) for v in value]
    return value


sio = socketio.Client(reconnection=False)


def on_any(event, namespace, *args):
    out({"type": "event", "event": event, "nsp": namespace, "args": from_wire(list(args))})
    reply = ack_replies.get(event)
    if reply == "echo":
        return tuple(args) if len(args) != 1 else args[0]
    if reply is not None:
        return tuple(to_wire(reply))
    return None


for nsp in namespaces:
    sio.on("connect", lambda n=nsp: out({"type": "connect", "nsp": n, "id": sio.get_sid(n),
                                         "transport": sio.transport()}), namespace=nsp)
    sio.on("connect_error", lambda data=None, n=nsp: out({"type": "connect_error", "nsp": n, "data": data}),
           namespace=nsp)
    sio.on("disconnect", lambda n=nsp: out({"type": "disconnect", "nsp": n}), namespace=nsp)
    sio.on("*", lambda event, *args, n=nsp: on_any(event, n, *args), namespace=nsp)


def commands():
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        name = cmd["cmd"]
        nsp = cmd.get("nsp", namespaces[0])
        if name == "emit":
            args = tuple(to_wire(cmd.get("args", [])))
            if cmd.get("ack"):
                ident = cmd.get("id")
                sio.emit(cmd["event"], args, namespace=nsp,
                         callback=lambda *reply, i=ident: out({"type": "ack", "id": i, "args": from_wire(list(reply))}))
            else:
                sio.emit(cmd["event"], args, namespace=nsp)
        elif name in ("disconnect", "exit"):
            sio.disconnect()
            if name == "exit":
                break
        else:
            out({"type": "error", "message": "unknown command " + name})


try:
    sio.connect(config["url"], namespaces=namespaces, auth=config.get("auth"),
                transports=config.get("transports"), socketio_path=config.get("path", "socket.io"),
                wait_timeout=10)
except socketio.exceptions.ConnectionError as e:
    out({"type": "connect_error", "message": str(e)})
    sys.exit(0)

timer = threading.Timer(config.get("maxSeconds", 120), lambda: sys.exit(3))
timer.daemon = True
timer.start()
commands()
