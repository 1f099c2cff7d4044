from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "plie.participants"
    label = "participants"
    verbose_name = "Participants et protocoles"
