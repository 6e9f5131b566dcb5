"""moto_server with three more endpoints (save moto's whole state under a name, restore it, and a
quicker reset), and three things moto worked out again at every request kept instead (see below).

The integration tests stand the sandbox up (`tdr sandbox up`, ~650 requests, ~4 s of CPU between
the test and moto) at about 80 places, on a moto reset before each test. Each worker now stands it
up for real once per distinct configuration, saves what moto holds, and restores that at the next
test that asks for the same sandbox (test/support/release.ts `sandboxUp`): ~5 ms of moto's CPU.

This is moto's own server, not a stand-in: the same WSGI application `moto_server` runs
(moto/server.py `main`: `DomainDispatcherApplication(create_backend_app)` under werkzeug's
`run_simple`, threaded), in front of which two paths are answered here:

  POST /moto-api/tdr-snapshot/save?name=N     pickles every loaded backend (account by account,
                                              region by region) and keeps the bytes under N
  POST /moto-api/tdr-snapshot/restore?name=N  resets moto (as below), then puts the unpickled
                                              backends in place; 404 if N is unknown
  POST /moto-api/tdr-snapshot/reset           leaves moto as /moto-api/reset does, quicker

They sit under /moto-api/ so the tests' request counts leave them out, as they leave out reset.

moto's own reset (moto/moto_api/_internal/models.py -> BackendDict.reset) first re-runs __init__ of
every backend in use, account by account and region by region, and then drops them all from their
BackendDicts; the next request builds new ones. The rebuild is for code that holds a backend object
across a reset (moto's decorators, in one process with the tests); nothing does in the server,
where every request looks its backend up. After a sandbox stand-up it is 0.2 s of moto's CPU before
every test, and ~4 s where IAM loads AWS's managed policies (test/sandbox-bootstrap.test.ts). The
quicker reset drops the backends without rebuilding them, and still runs the two resets moto
overrides to release what a backend holds outside itself: S3's (closes each key's temporary file and
frees the bucket names in `bucket_accounts`) and Batch's (stops the job threads).

moto's state is its `BackendDict`s (moto/core/base_backend.py): service -> account -> region ->
backend object, and what a BackendDict keeps besides (S3BackendDict's `bucket_accounts`,
moto/s3/models.py: which account holds each bucket name). `BackendDict._instances` lists the ones
in use, which is what moto's own reset walks. One `pickle.dumps` of all of them keeps the references between backends (an ELBv2
backend's EC2 backend, a Lambda function in two indexes) as one graph. What pickle cannot take by
itself, in moto 5.2's backends that the sandbox touches:
  - closures and lambdas (SSM's default factories): kept by reference, they hold no state;
  - `cryptography` key objects (KMS, ACM): kept by reference, immutable;
  - locks: a fresh lock on restore (nothing holds one between requests);
  - `weakref.WeakValueDictionary` (Lambda's index by ARN): rebuilt from its items;
  - SSM's `ParameterDict`, a defaultdict whose __init__ takes arguments pickle does not pass.
Any other failure answers 500 with the reason, and the tests then stand the sandbox up for real
(test/support/moto.ts `save`). At most MAX_SNAPSHOTS are kept (~0.5 MB for a sandbox), least
recently used dropped first.

Run as: python3 moto_server_snapshots.py -H 127.0.0.1 -p PORT
"""

import argparse
import copyreg
import functools
import io
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import types
import weakref
from collections import OrderedDict, defaultdict
from urllib.parse import parse_qs

from werkzeug.serving import run_simple

from moto import backends
from moto.core import DEFAULT_ACCOUNT_ID, responses
from moto.iam import models as iam_models
from moto.core.utils import method_names_from_class
from moto.core import base_backend
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.model_instances import reset_model_data
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.ssm.models import ParameterDict

# moto's dispatcher asks, twice for every request, whether the Host header names one of moto's
# modules, and `list_of_moto_modules` answers by listing moto's package directory and stat-ing each
# of its ~180 entries (moto/moto_server/werkzeug_app.py `get_backend_for_host`, moto/backends.py):
# a fifth of moto's CPU in a test's requests, profiled with cProfile. The installed package does not
# change while the server runs, so it is listed once.
_moto_modules = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = functools.wraps(backends.list_of_moto_modules)(lambda: _moto_modules)
# Likewise, to find the method of each request's action, moto lists every function of the response
# class with `inspect.getmembers` (moto/core/responses.py `call_action`, moto/core/utils.py
# `method_names_from_class`), ~7 % of its CPU; it only asks whether the action is among them, and
# a class's functions do not change while the server runs.
responses.method_names_from_class = functools.cache(lambda clazz: frozenset(method_names_from_class(clazz)))


# And to find which account a request's access key belongs to, moto looks in every account's IAM
# backend of every partition (moto/iam/models.py `get_account_id_from`, called by
# moto/core/responses.py at each request), creating the backends of the partitions nobody uses:
# six per account, each loading AWS's 1,485 managed policies where MOTO_IAM_LOAD_MANAGED_POLICIES
# is set (test/sandbox-bootstrap.test.ts), and each then pickled by every save. A backend not yet
# created has no access keys, so looking only in those that exist gives the same answer.
def _account_of(access_key: str) -> str:
    for account_id, account in list(iam_models.iam_backends.items()):
        for backend in list(dict.values(account)):
            if access_key in backend.access_keys:
                return account_id
    return DEFAULT_ACCOUNT_ID


iam_models.get_account_id_from = _account_of

MAX_SNAPSHOTS = 8
PREFIX = "/moto-api/tdr-snapshot/"
# A BackendDict's own attributes, set once at import; any other is state (S3's `bucket_accounts`, the
# bucket namespace shared by every account).
BACKEND_DICT_FIELDS = {"backend", "service_name", "_use_boto3_regions", "_additional_regions", "_id"}
LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))

# Objects kept by reference: a snapshot's pickle names them by id, restore hands back the same object.
by_reference: dict[int, object] = {}


def _new_defaultdict(cls, factory):
    obj = defaultdict.__new__(cls)
    obj.default_factory = factory
    return obj


class _Pickler(pickle.Pickler):
    dispatch_table = copyreg.dispatch_table.copy()
    dispatch_table[weakref.WeakValueDictionary] = lambda o: (weakref.WeakValueDictionary, (dict(o),))
    dispatch_table[ParameterDict] = lambda o: (
        _new_defaultdict,
        (type(o), o.default_factory),
        o.__dict__,
        None,
        iter(o.items()),
    )

    def persistent_id(self, obj):
        if isinstance(obj, LOCK_TYPES):
            return ("lock",)
        if (isinstance(obj, types.FunctionType) and "<locals>" in obj.__qualname__) or type(
            obj
        ).__module__.startswith("cryptography."):
            by_reference[id(obj)] = obj
            return ("ref", id(obj))
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        if pid[0] == "lock":
            return threading.Lock()
        return by_reference[pid[1]]


snapshots: "OrderedDict[str, bytes]" = OrderedDict()
backend_dicts: dict[str, BackendDict] = {}  # by BackendDict._id: the live (module-level) objects


def save(name: str) -> str:
    started = time.perf_counter()
    with base_backend.backend_lock:
        in_use = list(dict.fromkeys(BackendDict._instances))
        for bd in in_use:
            backend_dicts[bd._id] = bd
        buf = io.BytesIO()
        state = [(bd._id, dict(bd), {k: v for k, v in vars(bd).items() if k not in BACKEND_DICT_FIELDS}) for bd in in_use]
        _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    snapshots[name] = buf.getvalue()
    snapshots.move_to_end(name)
    while len(snapshots) > MAX_SNAPSHOTS:
        snapshots.popitem(last=False)
    return f"saved {name}: {len(in_use)} services, {len(snapshots[name])} bytes, {time.perf_counter() - started:.3f} s"


def reset() -> None:
    with base_backend.backend_lock:
        for bd in dict.fromkeys(BackendDict._instances):
            for account_backends in bd.values():
                for backend in account_backends.values():
                    if type(backend).reset is not BaseBackend.reset:
                        backend.reset()
            bd.clear()
        BackendDict._instances.clear()
    reset_model_data()


def restore(name: str) -> "str | None":
    blob = snapshots.get(name)
    if blob is None:
        return None
    snapshots.move_to_end(name)
    started = time.perf_counter()
    reset()
    state = _Unpickler(io.BytesIO(blob)).load()
    with base_backend.backend_lock:
        for bd_id, accounts, extra in state:
            bd = backend_dicts[bd_id]
            vars(bd).update(extra)
            for account_id, account_backends in accounts.items():
                dict.__setitem__(bd, account_id, account_backends)
            BackendDict._instances.append(bd)
    return f"restored {name}: {time.perf_counter() - started:.3f} s"


def with_snapshots(app):
    def wsgi(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return app(environ, start_response)

        def answer(status, text):
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [text.encode()]

        op = path[len(PREFIX) :]
        name = parse_qs(environ.get("QUERY_STRING", "")).get("name", [""])[0]
        if op == "reset" and environ.get("REQUEST_METHOD") == "POST":
            reset()
            return answer("200 OK", "reset")
        if environ.get("REQUEST_METHOD") != "POST" or op not in ("save", "restore") or not name:
            return answer("400 Bad Request", f"POST {PREFIX}save?name=N, {PREFIX}restore?name=N or {PREFIX}reset")
        try:
            if op == "save":
                return answer("200 OK", save(name))
            done = restore(name)
            return answer("200 OK", done) if done else answer("404 Not Found", f"no snapshot named {name}")
        except Exception:  # noqa: BLE001 - a save that fails means a real stand-up; a restore, a failed test
            # with this reason
            return answer("500 Internal Server Error", traceback.format_exc())

    return wsgi


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    # As moto_server does: some services build URLs from MOTO_PORT; SIGTERM ends the process cleanly.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True  # as moto_server sets it
    run_simple(args.host, args.port, with_snapshots(app), threaded=True)


if __name__ == "__main__":
    main()
