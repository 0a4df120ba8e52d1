"""Every table of the service in one metadata: the components' models, loaded together.

Alembic's environment and the schema test compare the migrations with this metadata; the
components' own modules import only the models they use.
"""

from __future__ import annotations

from wpb.service.audit import models as audit_models
from wpb.service.auth import models as auth_models
from wpb.service.base import Base
from wpb.service.components.beheer import models as beheer_models
from wpb.service.components.berichten import models as berichten_models
from wpb.service.components.brp import models as brp_models
from wpb.service.components.clientenbestand import models as clientenbestand_models
from wpb.service.components.overdrachten import models as overdrachten_models
from wpb.service.components.verrekening import models as verrekening_models

MODEL_MODULES = (
    auth_models, beheer_models, overdrachten_models, audit_models, berichten_models,
    verrekening_models, brp_models, clientenbestand_models,
)
metadata = Base.metadata
