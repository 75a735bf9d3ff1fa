"""A migration operation Django lacks: changing an existing model's bases in
the migration state. django-parler needs the shared model of a translation
model to derive from ``TranslatableModelMixin`` when migrations build their
historical models; Django records bases only when a model is created, so
models made translatable later get them here. State only: no SQL."""

from django.db.migrations.operations.base import Operation


class AddModelBase(Operation):
    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, base):
        self.model_name = model_name
        self.base = base

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"model_name": self.model_name, "base": self.base})

    def state_forwards(self, app_label, state):
        model = state.models[app_label, self.model_name.lower()]
        if self.base not in model.bases:
            model.bases = (self.base, *model.bases)
            state.reload_model(app_label, self.model_name.lower(), delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Derive {self.model_name} from {getattr(self.base, '__name__', self.base)} (state only)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_base"
