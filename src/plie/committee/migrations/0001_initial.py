"""The committee gets its own app: its tables keep their names (pathways_committee…), only
Django's state and the content types (kept by the journal's entries) move."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ("committeemeeting", "committeeitem")


def move_content_types(apps, schema_editor, source="pathways", target="committee"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="committee", target="pathways")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('participants', '0009_protocol_to_programme'),
        ('pathways', '0005_step_ongoing_planned_end_idx'),
        ('territory', '0005_trial_fixes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CommitteeMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='date de la commission')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='lieu')),
                        ('status', models.CharField(choices=[('planned', 'Prévue'), ('held', 'Tenue')], default='planned', max_length=20, verbose_name='état')),
                        ('chaired_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='présidée par')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_meetings', to='territory.programme')),
                    ],
                    options={
                        'verbose_name': "commission d'entrées-sorties",
                        'verbose_name_plural': "commissions d'entrées-sorties",
                        'db_table': 'pathways_committeemeeting',
                        'ordering': ['-held_on'],
                    },
                ),
                migrations.CreateModel(
                    name='CommitteeItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('entry', 'Entrée'), ('exit', 'Sortie')], max_length=10, verbose_name='objet')),
                        ('proposed_at', models.DateTimeField(auto_now_add=True)),
                        ('proposal_note', models.CharField(blank=True, max_length=1000, verbose_name='argumentaire')),
                        ('exit_reason', models.CharField(blank=True, choices=[('positive', 'Sortie positive (emploi durable ou formation qualifiante)'), ('moved', 'Déménagement hors du territoire'), ('health', 'Raisons de santé'), ('abandoned', 'Abandon du parcours'), ('end_of_eligibility', "Fin d'éligibilité"), ('maximum_duration', 'Durée maximale de parcours atteinte'), ('other_scheme', 'Orientation vers un autre dispositif'), ('retirement', 'Départ à la retraite'), ('death', 'Décès'), ('other', 'Autre motif')], max_length=30, verbose_name='motif de sortie proposé')),
                        ('exit_date', models.DateField(blank=True, null=True, verbose_name='date de sortie proposée')),
                        ('exit_condition', models.CharField(blank=True, max_length=50, verbose_name='condition de sortie positive')),
                        ('exit_condition_label', models.CharField(blank=True, max_length=200, verbose_name='libellé de la condition')),
                        ('exit_detail', models.CharField(blank=True, max_length=1000, verbose_name='précisions')),
                        ('decision', models.CharField(choices=[('pending', 'À examiner'), ('validated', 'Validée'), ('refused', 'Refusée'), ('deferred', 'Ajournée')], default='pending', max_length=20, verbose_name='décision')),
                        ('reason', models.CharField(blank=True, max_length=1000, verbose_name='motif de la décision')),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pathway', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee_items', to='participants.pathway')),
                        ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposed_referent', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='référent(e) proposé(e)')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='committee.committeemeeting')),
                    ],
                    options={
                        'verbose_name': 'dossier présenté en commission',
                        'verbose_name_plural': 'dossiers présentés en commission',
                        'db_table': 'pathways_committeeitem',
                        'ordering': ['meeting', 'pk'],
                        'indexes': [models.Index(fields=['decision'], name='pathways_co_decisio_567797_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
