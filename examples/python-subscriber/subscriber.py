#!/usr/bin/env python3
"""Print metarepo's core:file:* events, live from the broker (see README.md next to this file)."""
import argparse
import json
import pathlib
import sys

import zmq


def main() -> int:
    parser = argparse.ArgumentParser(description="Print metarepo core:file:* events from the broker.")
    parser.add_argument("--workspace", default=".", help="workspace root (holds .metarepo/broker.json)")
    parser.add_argument("--count", type=int, default=0, help="exit after this many events (0: until Ctrl-C)")
    args = parser.parse_args()

    broker = json.loads((pathlib.Path(args.workspace) / ".metarepo" / "broker.json").read_text())
    socket = zmq.Context.instance().socket(zmq.SUB)
    socket.connect(broker["endpoints"]["publish"])
    # The first frame is the event type, so a prefix subscription filters by type in the broker.
    socket.setsockopt_string(zmq.SUBSCRIBE, "core:file:")

    received = 0
    try:
        while args.count == 0 or received < args.count:
            # [type, envelope-json, ...]: one message holds one or more consecutive events of that type.
            type_frame, *envelopes = socket.recv_multipart()
            for frame in envelopes:
                event = json.loads(frame)
                print(event.get("sequence", "-"), event["type"], event["data"]["path"], flush=True)
                received += 1
                if received == args.count:
                    break
    except KeyboardInterrupt:
        pass
    finally:
        socket.close(linger=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
