"""Extensions, created unbound here and bound to the app in create_app()."""
from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from forum.db import Base

db = SQLAlchemy(model_class=Base)
# Models subclass `Model`, which is db.Model. A type checker cannot take a base class from an
# attribute, so it sees Base, the declarative base db.Model is made from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Storage comes from RATELIMIT_STORAGE_URI: memory by default, Redis when configured.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Only views decorated with @compress.compressed() (COMPRESS_REGISTER is off): the phones' roster.
compress = Compress()
