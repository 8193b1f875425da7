// Shows the crontab schedule in words under the crontab field of the periodic task form.
'use strict';
{
    const script = document.getElementById('periodic-task-overrides');
    const data = document.getElementById('readable-crontabs');
    const readable = data ? JSON.parse(data.textContent) : {};
    const original = script ? script.dataset.crontabHelp : '';
    const translation = document.querySelector('.field-crontab_translation');
    if (translation) {
        translation.style.display = 'none';
    }
    const select = document.getElementById('id_crontab');
    const help = document.querySelector('.field-crontab .help');
    if (select && help) {
        select.addEventListener('change', function() {
            help.textContent = original + ' — ' + (readable[select.value] || '');
        });
    }
}
