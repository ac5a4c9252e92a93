"""gunicorn settings of the project, read from the working directory (the systemd unit of
docs/operations.md runs gunicorn in the project folder); options on the command line win."""
import gc


def post_worker_init(worker):
    """Once a worker has loaded the app: freeze what is loaded so far (the app, its modules,
    SQLAlchemy's mappers, matplotlib's fonts: about 330,000 objects) out of the cyclic garbage
    collector's generations. A full collection walks every tracked object: about 170 ms of CPU
    in one request every few hundred, whichever request triggers it. The frozen objects live as
    long as the worker; one of them that later becomes cyclic garbage is not reclaimed by the
    collector (reference counting still frees the rest)."""
    gc.collect()
    gc.freeze()
