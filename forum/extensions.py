"""Extensions, created unbound here and bound to the app in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from forum.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Storage comes from RATELIMIT_STORAGE_URI: memory by default, Redis when configured.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
