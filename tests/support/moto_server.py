"""moto's server, with SQS FIFO receives made to keep a message group's order.

moto 5.2 (checked on 5.2.1 and 5.2.6) gets two things wrong that real SQS does not:

- When several in-flight messages of one group time out together (a consumer died with
  a batch), its receive skips the first of them, because the others are still counted as
  in flight while it looks at it, and hands out the later ones: the group's order is
  broken. SQS hands out the first again.
- Receives are not atomic: the server is threaded, and two concurrent receives can each
  take messages of the same group.

Both break a FIFO consumer's order in exactly the cases the fault suite and the
redelivery tests exercise (a function killed mid-batch, several consumers), so the test
stack runs this instead of `moto_server`: a receive first forgets the in-flight state of
messages whose visibility timeout has run out, and receives, deletes and visibility
changes take one lock.

Its DynamoDB TransactWriteItems deep-copies every table it touches before it starts, to
roll back on failure: each transaction costs time and memory in proportion to the whole
table (the fault suite's thousand updates took moto past 13 GB and stalled it), and a
rollback puts back the whole table, undoing other clients' writes made meanwhile. Here a
transaction saves and restores only the items it names, and DynamoDB reads and writes
take one lock, so a transaction is isolated as DynamoDB's are.

Everything else is moto as installed.

Usage: python moto_server.py -H 127.0.0.1 -p PORT (the `moto_server` arguments).
"""

import copy
import threading

from moto.dynamodb import models as dynamodb
from moto.dynamodb.models.table import Table
from moto.server import main
from moto.sqs import models

_lock = threading.RLock()
_receive = models.SQSBackend.receive_message
_delete = models.SQSBackend.delete_message
_change_visibility = models.SQSBackend.change_message_visibility


def _forget_timed_out(queue):
    for message in [m for m in queue.pending_messages if m.visible]:
        queue.pending_messages.discard(message)


def receive_message(self, queue_name, count, wait_seconds_timeout, *args, **kwargs):
    def receive():
        _forget_timed_out(self.get_queue(queue_name))
        return _receive(self, queue_name, count, wait_seconds_timeout, *args, **kwargs)

    if wait_seconds_timeout:
        # A long poll waits inside moto; holding the lock would stall every consumer.
        return receive()
    with _lock:
        return receive()


def delete_message(self, *args, **kwargs):
    with _lock:
        return _delete(self, *args, **kwargs)


def change_message_visibility(self, *args, **kwargs):
    with _lock:
        return _change_visibility(self, *args, **kwargs)


models.SQSBackend.receive_message = receive_message
models.SQSBackend.delete_message = delete_message
models.SQSBackend.change_message_visibility = change_message_visibility


_tables = threading.RLock()
_copying_for_rollback = threading.local()


def _locked(method):
    def locked(self, *args, **kwargs):
        with _tables:
            return method(self, *args, **kwargs)

    return locked


def _table_deepcopy(self, memo):
    # moto's own whole-table backup gets the table itself: nothing is copied, and its
    # rollback changes nothing. The transaction below restores what it touched.
    if getattr(_copying_for_rollback, "active", False):
        return self
    clone = self.__class__.__new__(self.__class__)
    memo[id(self)] = clone
    for name, value in self.__dict__.items():
        setattr(clone, name, copy.deepcopy(value, memo))
    return clone


def _touched(backend, transact_items):
    """(table, key, attributes before or None) for each item the transaction names."""
    saved = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            continue
        if "Item" in op:
            names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
            key = {n: op["Item"][n] for n in names if n in op["Item"]}
        else:
            key = op.get("Key")
        if not key:
            continue
        try:
            before = backend.get_item(table.name, key)
        except Exception:  # a malformed key: moto reports it itself
            continue
        attrs = copy.deepcopy(before.to_json()["Attributes"]) if before else None
        saved.append((table.name, key, attrs))
    return saved


def transact_write_items(self, transact_items):
    with _tables:
        saved = _touched(self, transact_items)
        _copying_for_rollback.active = True
        try:
            return _transact(self, transact_items)
        except Exception:
            _copying_for_rollback.active = False
            for table_name, key, attrs in reversed(saved):
                if attrs is None:
                    _delete_item(self, table_name, key)
                else:
                    _put_item(self, table_name, attrs)
            raise
        finally:
            _copying_for_rollback.active = False


_transact = dynamodb.DynamoDBBackend.transact_write_items
_put_item = dynamodb.DynamoDBBackend.put_item
_delete_item = dynamodb.DynamoDBBackend.delete_item
Table.__deepcopy__ = _table_deepcopy
dynamodb.DynamoDBBackend.transact_write_items = transact_write_items
for _name in ("put_item", "update_item", "delete_item", "get_item", "query", "scan"):
    setattr(
        dynamodb.DynamoDBBackend,
        _name,
        _locked(getattr(dynamodb.DynamoDBBackend, _name)),
    )

if __name__ == "__main__":
    main()
