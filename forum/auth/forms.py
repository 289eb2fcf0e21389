from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from forum.forms import BaseForm


class LoginForm(BaseForm):
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class TokenForm(BaseForm):
    user_id = SelectField(_l("For whom"), coerce=int, validators=[DataRequired()])  # choices: service.token_holders()
    name = StringField(_l("What it is for"), validators=[DataRequired(), Length(max=100)],
                       description=_l("e.g. door phone 3, or the partner's reporting program"))
    forum_id = SelectField(_l("Forums"), coerce=int, default=0)  # 0: every forum; choices set by the view
    read_only = BooleanField(_l("Only for reading (a partner's reporting program)"))
    submit = SubmitField(_l("Create a token"))


TEAM_ROLE_LABELS = {"organizer": _l("Organizer"), "staff": _l("Door staff"), "jury": _l("Jury")}
USER_ROLE_LABELS = {"admin": _l("Administrator"), **TEAM_ROLE_LABELS, "employer": _l("Employer")}


class MemberForm(BaseForm):
    email = StringField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
                        description=_l("A colleague without an account gets an email to choose a password."))
    role = SelectField(_l("Role"), choices=list(TEAM_ROLE_LABELS.items()))
    submit = SubmitField(_l("Add to the team"))


class MemberRoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=list(TEAM_ROLE_LABELS.items()))
    submit = SubmitField(_l("Change"))


class UserForm(BaseForm):
    email = StringField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=list(USER_ROLE_LABELS.items()))
    submit = SubmitField(_l("Create and send a link"))


class UserRoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=list(USER_ROLE_LABELS.items()))
    submit = SubmitField(_l("Change"))


class SetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    again = PasswordField(_l("The same again"), validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])
    submit = SubmitField(_l("Save the password"))


def new_password_validators() -> list:
    """The rules a password someone chooses for themselves must meet: at sign-up and at a reset."""
    return [DataRequired(), Length(min=8, max=200)]


class ForgotPasswordForm(BaseForm):
    email = StringField(_l("Email (your login)"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=new_password_validators())
    again = PasswordField(_l("The same again"), validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])
    submit = SubmitField(_l("Save the password and log in"))


class ConfirmEmailForm(BaseForm):
    # A button, not the link itself: mail scanners open links, and must not use up the link.
    submit = SubmitField(_l("Confirm my email"))
