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
changes take one lock. Everything else is moto as installed.

Usage: python moto_server.py -H 127.0.0.1 -p PORT (the `moto_server` arguments).
"""

import threading

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

if __name__ == "__main__":
    main()
